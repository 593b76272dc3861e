package io.clusterplatform.provisioner.core.mesh;

import java.time.Instant;
import java.util.Locale;

/**
 * The path one node uses to one peer, as its agent reported it: {@code direct} (to the peer's
 * endpoint or public mapping), {@code relayed} (through a relay's port for the pair) or {@code none}
 * (no handshake within {@link Health#HANDSHAKE_WITHIN}: nothing gets through), with the reason.
 *
 * @param path direct, relayed or none
 * @param endpoint where the node sends the peer's datagrams; null when it has none
 * @param viaRelay the relay's node id, when relayed
 * @param viaRelayHostname the relay's hostname, when relayed
 * @param lastHandshake the latest WireGuard handshake of the pair the node reported; null for none
 * @param rttMillis the round trip of the node's latest probe of the peer's overlay address, if answered
 * @param reason why the path is none; null otherwise
 */
public record MeshPath(
        String path,
        String endpoint,
        Long viaRelay,
        String viaRelayHostname,
        Instant lastHandshake,
        Double rttMillis,
        String reason) {

    /** The kinds of path. */
    public enum Kind {
        DIRECT,
        RELAYED,
        NONE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A relay a pair's datagrams go through. */
    public record Relay(long nodeId, String hostname) {}

    /**
     * The path from what a node reported of a peer.
     *
     * @param relay the relay whose port for the pair is {@code endpoint}, or null when the endpoint is
     *     no relay's
     */
    public static MeshPath of(Instant lastHandshake, String endpoint, Relay relay, Long rttMicros, Instant now) {
        Double rtt = rttMicros == null ? null : rttMicros / 1000.0;
        boolean fresh = lastHandshake != null && !lastHandshake.isBefore(now.minus(Health.HANDSHAKE_WITHIN));
        if (!fresh) {
            String reason;
            if (endpoint == null) {
                reason = "no handshake: neither side has an endpoint the other can send to (both behind NAT?)"
                        + " and no relay carries the pair: add a relay (provisioner mesh relay)";
            } else if (lastHandshake == null) {
                reason = "no handshake yet with the peer at " + endpoint
                        + (relay == null ? "" : " (relay " + relay.hostname() + ")");
            } else {
                reason = "no handshake since " + lastHandshake + " (WireGuard renews one every 2 minutes on a"
                        + " working tunnel)";
            }
            return new MeshPath(
                    Kind.NONE.wireName(),
                    endpoint,
                    relay == null ? null : relay.nodeId(),
                    relay == null ? null : relay.hostname(),
                    lastHandshake,
                    rtt,
                    reason);
        }
        if (relay != null) {
            return new MeshPath(
                    Kind.RELAYED.wireName(), endpoint, relay.nodeId(), relay.hostname(), lastHandshake, rtt, null);
        }
        return new MeshPath(Kind.DIRECT.wireName(), endpoint, null, null, lastHandshake, rtt, null);
    }
}
