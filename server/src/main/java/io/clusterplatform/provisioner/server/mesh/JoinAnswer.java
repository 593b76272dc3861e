package io.clusterplatform.provisioner.server.mesh;

import java.util.List;

/**
 * The answer to a join: everything the host needs to bring its WireGuard interface up, and the only
 * time its node token is shown.
 *
 * @param address the node's IPv6 overlay address (configure it with the /64 of {@code nodeSubnet})
 * @param ipv4 its IPv4 overlay address, when the network has a range
 * @param listenPort the WireGuard port the server suggests
 * @param nodeToken the node's secret for its later calls (peer map, status, kubeconfig)
 * @param version the version of the peer map in {@code peers}: poll with {@code ?since=} it
 * @param peers every other node of the network
 * @param relays the network's relays (see {@link PeerMap#relays})
 */
public record JoinAnswer(
        long nodeId,
        String networkId,
        String hostname,
        String role,
        String address,
        String ipv4,
        String ipv6Prefix,
        String nodeSubnet,
        String ipv4Range,
        int listenPort,
        String nodeToken,
        long version,
        List<Peer> peers,
        List<PeerMap.Relay> relays) {}
