package io.clusterplatform.provisioner.distributor.mesh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The host's WireGuard interface, as the agent changes it (wg and ip behind it; see {@link WgTools}). */
interface Wireguard {
    /**
     * Creates the interface (the kernel's WireGuard, else wireguard-go), sets its private key (from a
     * 0600 file) and listen port, adds the addresses (with prefix length) and brings it up. An
     * interface of that name left from an earlier run is deleted first.
     */
    void up(String ifname, Path privateKeyFile, int listenPort, List<String> addresses) throws IOException;

    /** Whether the interface is still there (wireguard-go may have died); false means "call up again". */
    boolean alive(String ifname);

    /** {@code wg set <if> peer <key> allowed-ips ... [endpoint ...] persistent-keepalive <n>}. */
    void setPeer(String ifname, MeshPeer peer, int keepaliveSeconds) throws IOException;

    /** {@code wg set <if> peer <key> remove}. */
    void removePeer(String ifname, String publicKey) throws IOException;

    /** {@code wg show <if> dump}. */
    String dump(String ifname) throws IOException;

    /** Deletes the interface (and stops wireguard-go). */
    void down(String ifname);
}
