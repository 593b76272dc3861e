package io.clusterplatform.provisioner.server.lab;

import io.clusterplatform.provisioner.distributor.mesh.RelayForwarder;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;

/**
 * The relay's data path as a process of its own, so that it runs inside a lab namespace: {@code
 * RelayProcess BIND PORT_A:KEY_A:PORT_B:KEY_B ...} relays each pair until killed. (The server does not
 * hand relays their pairs yet; MeshNatLabTest gives them on the command line.)
 */
public final class RelayProcess {
    private RelayProcess() {}

    public static void main(String[] args) throws Exception {
        RelayForwarder relay = new RelayForwarder(InetAddress.getByName(args[0]));
        for (int i = 1; i < args.length; i++) {
            String[] parts = args[i].split(":", 4);
            relay.add(new RelayForwarder.Pair(
                    Integer.parseInt(parts[0]), parts[1], Integer.parseInt(parts[2]), parts[3]));
        }
        System.out.println("relay ready");
        new CountDownLatch(1).await();
    }
}
