package io.clusterplatform.provisioner.distributor.mesh;

import java.util.ArrayList;
import java.util.List;

/** {@code wg show <if> dump}: the interface line, then one tab-separated line per peer. */
record WgDump(String publicKey, int listenPort, List<Peer> peers) {
    /**
     * @param endpoint null when wg prints {@code (none)}
     * @param latestHandshake seconds since the epoch, 0 when there was none
     */
    record Peer(
            String publicKey, String endpoint, String allowedIps, long latestHandshake, long rxBytes, long txBytes) {}

    static WgDump parse(String dump) {
        List<Peer> peers = new ArrayList<>();
        String key = null;
        int port = 0;
        for (String line : dump.strip().split("\n")) {
            String[] f = line.split("\t");
            if (key == null) {
                if (f.length < 3) {
                    throw new IllegalArgumentException("not a wg dump: " + line);
                }
                key = f[1];
                port = Integer.parseInt(f[2]);
            } else if (f.length >= 8) {
                peers.add(new Peer(
                        f[0],
                        f[2].equals("(none)") ? null : f[2],
                        f[3].equals("(none)") ? "" : f[3],
                        Long.parseLong(f[4]),
                        Long.parseLong(f[5]),
                        Long.parseLong(f[6])));
            }
        }
        return new WgDump(key, port, List.copyOf(peers));
    }
}
