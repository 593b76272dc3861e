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
 */
public enum Health {
    GREEN,
    YELLOW,
    RED,
    UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
