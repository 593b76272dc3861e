package io.clusterplatform.provisioner.core.mesh;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which relay a relayed pair of nodes goes through: the nearest that answers them both.
 *
 * <p>Each agent that measures (the Java agent: {@code mesh join}, {@code mesh bridge}) probes every
 * relay of its network and reports the round trip to each, or that a relay did not answer. A pair's
 * cost at a relay is the sum of its two nodes' round trips to it (the path's round trip through the
 * relay, less the relay's own time): a node that does not measure (the shell agent) adds nothing, so
 * its partner's measurements decide; a relay either node could not reach costs {@link #UNREACHABLE}.
 *
 * <p>A pair keeps its relay until another is clearly nearer, by {@link #MIN_GAIN_MICROS} and by
 * {@link #MIN_GAIN_SHARE} of the current cost both (hysteresis: two relays about as near as each other
 * do not trade the pair back and forth with every measurement, and every move costs a handshake).
 * A relay that is down, or that either node could not reach, is left at once.
 */
public final class RelayChoice {
    /** The cost of a relay one of the pair's nodes could not reach. */
    public static final long UNREACHABLE = Long.MAX_VALUE;
    /** A pair moves to a nearer relay only when that saves at least this many microseconds... */
    public static final long MIN_GAIN_MICROS = 5_000;
    /** ...and at least this share of the current relay's cost. */
    public static final double MIN_GAIN_SHARE = 0.2;

    private RelayChoice() {}

    /**
     * What one node measured of its network's relays.
     *
     * @param rttMicros the round trip to each relay that answered, by relay id
     * @param unanswered the relays it probed that did not answer
     */
    public record Measured(Map<Long, Long> rttMicros, Set<Long> unanswered) {
        /** A node that does not measure (or has not yet). */
        public static final Measured NONE = new Measured(Map.of(), Set.of());

        public Measured {
            rttMicros = Map.copyOf(rttMicros);
            unanswered = Set.copyOf(unanswered);
        }

        private long cost(long relay) {
            if (unanswered.contains(relay)) {
                return UNREACHABLE;
            }
            return rttMicros.getOrDefault(relay, 0L);
        }
    }

    /** The pair's cost at {@code relay}: the sum of the two nodes' round trips, or {@link #UNREACHABLE}. */
    public static long cost(long relay, Measured a, Measured b) {
        long ca = a.cost(relay);
        long cb = b.cost(relay);
        return ca == UNREACHABLE || cb == UNREACHABLE ? UNREACHABLE : ca + cb;
    }

    /**
     * The relay the pair goes through now.
     *
     * @param current the pair's relay so far, or null for none
     * @param up the relays that are up (and carry the pair)
     * @return one of {@code up} (the lowest id among equals; the lowest of all when none is reachable),
     *     or null when {@code up} is empty
     */
    public static Long choose(Long current, Collection<Long> up, Measured a, Measured b) {
        if (up.isEmpty()) {
            return null;
        }
        Long best = null;
        long bestCost = UNREACHABLE;
        for (long relay : new TreeSet<>(up)) {
            long cost = cost(relay, a, b);
            if (best == null || cost < bestCost) {
                best = relay;
                bestCost = cost;
            }
        }
        if (current == null || !up.contains(current)) {
            return best;
        }
        long currentCost = cost(current, a, b);
        if (currentCost == UNREACHABLE) {
            return best;
        }
        long gain = currentCost - bestCost;
        boolean clearlyNearer = gain >= MIN_GAIN_MICROS && gain >= currentCost * MIN_GAIN_SHARE;
        return clearlyNearer ? best : current;
    }
}
