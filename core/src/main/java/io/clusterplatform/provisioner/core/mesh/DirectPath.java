package io.clusterplatform.provisioner.core.mesh;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One agent's attempt at a direct path to one peer that it reaches through a relay, given the peer's
 * public mapping (its candidate) by the server. The agent steps it with what WireGuard shows of the
 * peer ({@link #step}); it answers where WireGuard should send the peer's datagrams.
 *
 * <pre>
 *   RELAYED --(a try slot comes)--------------------------------&gt; TRYING
 *   TRYING  --(datagrams arrive from the candidate)-------------&gt; DIRECT
 *   TRYING  --(none within TRY_FOR)-----------------------------&gt; RELAYED (the next try twice as far off)
 *   DIRECT  --(none for DEAD_AFTER, or the peer went relayed)---&gt; RELAYED (no try for RETRY_AFTER_LOSS)
 * </pre>
 *
 * <p>Both sides must send at the same time for their NATs to let each other in (each NAT admits
 * datagrams from where its host sent to), so tries happen in slots of the wall clock that both
 * agents know without talking: every {@link #SLOT} seconds since the epoch, and after failures only
 * every 2nd, 4th ... 64th slot (about 5 minutes). Slots of a longer stride are slots of every shorter
 * one, so two agents that failed a different number of times still meet at the slower one's next
 * slot. A try costs the pair up to {@link #TRY_FOR} of lost datagrams when it fails (WireGuard sends
 * to one endpoint at a time), so it is tried rarely once it failed; the server gives candidates only
 * to pairs whose agents both try, and only for NATs that keep one mapping for every destination.
 *
 * <p>WireGuard follows the source of the last authenticated datagram from a peer (roaming): a peer
 * that went back to the relay moves this side's endpoint to the relay too, which this class takes as
 * the end of the direct path.
 */
public final class DirectPath {
    /** The length of a try slot. */
    public static final Duration SLOT = Duration.ofSeconds(5);
    /** How long a try waits for a datagram from the candidate. */
    public static final Duration TRY_FOR = Duration.ofSeconds(3);
    /** How long a direct path may stay silent before it counts as lost (keepalives come every {@link #KEEPALIVE_DIRECT}). */
    public static final Duration DEAD_AFTER = Duration.ofSeconds(5);
    /** WireGuard's persistent keepalive while trying (seconds). */
    public static final int KEEPALIVE_TRYING = 1;
    /** WireGuard's persistent keepalive on a direct path (seconds): a lost path shows within {@link #DEAD_AFTER}. */
    public static final int KEEPALIVE_DIRECT = 2;
    /**
     * How long after a direct path was lost the next try waits at least: the path just failed, and a
     * try right away would take the relayed path away again for {@link #TRY_FOR}.
     */
    public static final Duration RETRY_AFTER_LOSS = Duration.ofSeconds(10);
    /** The longest stride, in slots, between tries after failures. */
    public static final int MAX_STRIDE = 64;

    /** The states, and the transitions allowed between them. */
    public enum State {
        RELAYED,
        TRYING,
        DIRECT;

        private static final Map<State, Set<State>> NEXT = Map.of(
                RELAYED, EnumSet.of(TRYING),
                TRYING, EnumSet.of(DIRECT, RELAYED),
                DIRECT, EnumSet.of(RELAYED));

        public boolean canBecome(State next) {
            return NEXT.get(this).contains(next);
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What WireGuard shows of the peer ({@code wg show dump}): its endpoint now and the bytes received. */
    public record Seen(String endpoint, long rxBytes) {}

    /**
     * Where WireGuard should send the peer's datagrams, and with which keepalive; {@code fresh} asks
     * for the peer to be set anew (removed and added), so that a new handshake goes out on the new path
     * (a relay learns where a node is from its handshakes).
     */
    public record Use(String endpoint, int keepaliveSeconds, boolean fresh) {}

    private final String candidate;
    private String relay;
    private final int relayKeepalive;
    private State state = State.RELAYED;
    private int stride = 1;
    private Instant nextTry;
    private Instant since;
    private long rxAtChange;
    private Instant lastRx;
    private String why = "not tried yet";

    /**
     * @param candidate the peer's public mapping, where a direct path would go
     * @param relay the relay's port for the pair, where datagrams go otherwise
     * @param relayKeepalive the keepalive on the relayed path
     */
    public DirectPath(String candidate, String relay, int relayKeepalive, Instant now) {
        this.candidate = Objects.requireNonNull(candidate);
        this.relay = Objects.requireNonNull(relay);
        this.relayKeepalive = relayKeepalive;
        this.nextTry = slotAfter(now, stride);
    }

    public State state() {
        return state;
    }

    public String candidate() {
        return candidate;
    }

    /** Why the path is what it is (for the agent's log), e.g. "no answer from 198.51.100.7:51820 within 3 s". */
    public String why() {
        return why;
    }

    /** When the next try starts, while relayed. */
    public Instant nextTry() {
        return nextTry;
    }

    /** The pair's relay changed (the first went down): relayed datagrams go to {@code newRelay} from now on. */
    public void relayMoved(String newRelay) {
        this.relay = Objects.requireNonNull(newRelay);
    }

    /** Where the peer's datagrams should go in the current state. */
    public Use use() {
        return switch (state) {
            case RELAYED -> new Use(relay, relayKeepalive, false);
            case TRYING -> new Use(candidate, KEEPALIVE_TRYING, false);
            case DIRECT -> new Use(candidate, KEEPALIVE_DIRECT, false);
        };
    }

    /**
     * Takes what WireGuard shows now; answers what to set on WireGuard, or null when it is set as it
     * should be.
     */
    public Use step(Seen seen, Instant now) {
        switch (state) {
            case RELAYED -> {
                if (!now.isBefore(nextTry)) {
                    become(State.TRYING, seen, now);
                    why = "trying " + candidate;
                    return use();
                }
                return relay.equals(seen.endpoint()) ? null : use();
            }
            case TRYING -> {
                if (candidate.equals(seen.endpoint()) && seen.rxBytes() > rxAtChange) {
                    become(State.DIRECT, seen, now);
                    stride = 1;
                    why = "datagrams arrive from " + candidate;
                    return use();
                }
                if (!now.isBefore(since.plus(TRY_FOR))) {
                    stride = Math.min(stride * 2, MAX_STRIDE);
                    become(State.RELAYED, seen, now);
                    why = "no answer from " + candidate + " within " + TRY_FOR.toSeconds() + " s (next try at "
                            + nextTry + ")";
                    return new Use(relay, relayKeepalive, true);
                }
                if (candidate.equals(seen.endpoint())) {
                    return null;
                }
                // A datagram that came through the relay moved WireGuard's endpoint back: keep sending
                // direct, and count only what arrives from now on.
                rxAtChange = seen.rxBytes();
                return use();
            }
            case DIRECT -> {
                if (seen.rxBytes() > rxAtChange) {
                    rxAtChange = seen.rxBytes();
                    lastRx = now;
                }
                if (!candidate.equals(seen.endpoint())) {
                    become(State.RELAYED, seen, now);
                    why = "the peer went back to the relay (its datagrams come from " + seen.endpoint() + ")";
                    return new Use(relay, relayKeepalive, true);
                }
                if (!now.isBefore(lastRx.plus(DEAD_AFTER))) {
                    become(State.RELAYED, seen, now);
                    why = "nothing from " + candidate + " for " + DEAD_AFTER.toSeconds() + " s";
                    return new Use(relay, relayKeepalive, true);
                }
                return null;
            }
        }
        throw new IllegalStateException("unknown state " + state);
    }

    private void become(State next, Seen seen, Instant now) {
        if (!state.canBecome(next)) {
            throw new IllegalStateException("a direct path cannot go from " + state + " to " + next);
        }
        State before = state;
        state = next;
        since = now;
        lastRx = now;
        rxAtChange = seen.rxBytes();
        if (next == State.RELAYED) {
            nextTry = slotAfter(before == State.DIRECT ? now.plus(RETRY_AFTER_LOSS) : now, stride);
        }
    }

    /** The first slot after {@code now} whose number is a multiple of {@code stride}. */
    static Instant slotAfter(Instant now, int stride) {
        long slot = SLOT.toMillis() * stride;
        long next = (Math.floorDiv(now.toEpochMilli(), slot) + 1) * slot;
        return Instant.ofEpochMilli(next);
    }
}
