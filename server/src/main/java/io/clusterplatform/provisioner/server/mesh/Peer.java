package io.clusterplatform.provisioner.server.mesh;

import java.util.List;

/**
 * One peer in a node's peer map: what the node's agent needs for {@code wg set <if> peer <publicKey>
 * endpoint <endpoint> allowed-ips <allowedIps>}.
 *
 * @param endpoint where the peer's WireGuard port is reached ({@code ip:port}); null for a peer
 *     behind NAT, which reaches out itself
 * @param allowedIps the peer's overlay addresses as /128 (and /32)
 * @param relayed whether {@code endpoint} is a relay's port for the pair (the peer is behind NAT)
 * @param candidate for a peer reached through a relay: its public mapping, at which the node's agent
 *     may try to reach it directly (both agents try at the same moments, see docs/MESH.md); null when
 *     there is none to try
 */
public record Peer(
        long nodeId,
        String hostname,
        String publicKey,
        String address,
        String ipv4,
        String endpoint,
        String role,
        List<String> allowedIps,
        boolean relayed,
        String candidate) {}
