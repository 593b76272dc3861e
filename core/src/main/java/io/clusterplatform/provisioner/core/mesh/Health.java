package io.clusterplatform.provisioner.core.mesh;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The health colour of a mesh node, from the last time its agent contacted the server (a peer-map
 * poll or a status report):
 *
 * <ul>
 *   <li>{@code green}: within {@code greenWithin} (default 60 s). An agent long-polls for at most 30 s
 *       at a time and every poll is a contact, so a connected agent is always green.
 *   <li>{@code yellow}: within {@code yellowWithin} (default 5 min): the agent missed a few polls
 *       (restarting, a flaky link).
 *   <li>{@code red}: longer ago. Its tunnels may still work (they do not need the server), but the
 *       node no longer learns of changes.
 *   <li>{@code unknown}: the node joined, but its agent never contacted the server since.
 * </ul>
 *
 * <p>A node whose agent is in contact is green only if its tunnels work: when it has peers, and has
 * had them for {@link #HANDSHAKE_WITHIN}, some peer must have completed a WireGuard handshake with it
 * within that time (either side reporting it); otherwise it is yellow, with the likely reason
 * ({@link Thresholds#assess}).
 */
public enum Health {
    GREEN,
    YELLOW,
    RED,
    UNKNOWN;

    /**
     * How recent a handshake of a working tunnel always is: WireGuard renews the session of a tunnel
     * in use (the agents' keepalives keep every tunnel in use) after 120 s and refuses one older than
     * 180 s (REJECT_AFTER_TIME).
     */
    public static final Duration HANDSHAKE_WITHIN = Duration.ofMinutes(3);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A colour and why (null when green and nothing is wrong). */
    public record Assessment(Health health, String reason) {}

    /**
     * What the server knows of a node's tunnels.
     *
     * @param lastHandshake the latest handshake any peer reported with the node, or the node with any
     *     peer; null for none
     * @param peers how many other nodes its network has
     * @param peersSince since when it has had a peer: the later of its join and its first peer's
     * @param hasEndpoint whether it has an endpoint of its own (else it is taken to be behind NAT)
     * @param peersWithEndpoint how many of its peers have one
     * @param relays how many relays its network has
     */
    public record Tunnels(
            Instant lastHandshake,
            int peers,
            Instant peersSince,
            boolean hasEndpoint,
            int peersWithEndpoint,
            int relays) {
        /** A relay's: it is nobody's WireGuard peer, so only its contact counts. */
        public static final Tunnels NONE = new Tunnels(null, 0, null, false, 0, 0);
    }

    /** The thresholds; {@code yellowWithin} must not be shorter than {@code greenWithin}. */
    public record Thresholds(Duration greenWithin, Duration yellowWithin) {
        public static final Thresholds DEFAULTS = new Thresholds(Duration.ofSeconds(60), Duration.ofMinutes(5));

        public Thresholds {
            if (greenWithin == null || greenWithin.isNegative() || greenWithin.isZero()) {
                throw new IllegalArgumentException("the green threshold must be positive, got " + greenWithin);
            }
            if (yellowWithin == null || yellowWithin.compareTo(greenWithin) < 0) {
                throw new IllegalArgumentException("the yellow threshold (" + yellowWithin
                        + ") is shorter than the green one (" + greenWithin + ")");
            }
        }

        /** The colour from the agent's last contact and, when that is green, from its tunnels. */
        public Assessment assess(Instant lastContact, Tunnels tunnels, Instant now) {
            Health contact = of(lastContact, now);
            switch (contact) {
                case UNKNOWN -> {
                    return new Assessment(contact, "its agent has not contacted the server since the join");
                }
                case YELLOW, RED -> {
                    return new Assessment(
                            contact,
                            "its agent last contacted the server "
                                    + Duration.between(lastContact, now).toSeconds() + " s ago");
                }
                default -> {}
            }
            Instant since = now.minus(HANDSHAKE_WITHIN);
            if (tunnels.peers() == 0
                    || (tunnels.lastHandshake() != null
                            && !tunnels.lastHandshake().isBefore(since))
                    || (tunnels.peersSince() != null && tunnels.peersSince().isAfter(since))) {
                return new Assessment(GREEN, null);
            }
            String none = tunnels.lastHandshake() == null
                    ? "no handshake with any peer yet"
                    : "no handshake with any peer since " + tunnels.lastHandshake();
            String why;
            if (!tunnels.hasEndpoint() && tunnels.peersWithEndpoint() == 0 && tunnels.relays() == 0) {
                why = ": this node and all its peers are behind NAT (none has an endpoint), and the network has"
                        + " no relay, so neither side can reach the other";
            } else if (!tunnels.hasEndpoint() && tunnels.peersWithEndpoint() == 0) {
                why = ": this node and all its peers are behind NAT (none has an endpoint), and no handshake came"
                        + " through the network's relay: check that the relay runs and its UDP ports are reachable";
            } else if (!tunnels.hasEndpoint()) {
                why = ": it has no endpoint of its own, and its peers with one were not reached from it:"
                        + " check that it may send UDP to their endpoints";
            } else {
                why = ": its endpoint may not be reachable from its peers (a firewall, or NAT without a port"
                        + " forward), or their agents are not running";
            }
            return new Assessment(YELLOW, none + why);
        }

        public Health of(Instant lastContact, Instant now) {
            if (lastContact == null) {
                return UNKNOWN;
            }
            Duration ago = Duration.between(lastContact, now);
            if (ago.compareTo(greenWithin) <= 0) {
                return GREEN;
            }
            return ago.compareTo(yellowWithin) <= 0 ? YELLOW : RED;
        }
    }
}
