package io.clusterplatform.provisioner.core.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a job waits before its next attempt after a transient failure: {@code first} after the
 * first failed attempt, doubling with every further one, never more than {@code max}.
 *
 * @param first the wait after the first failed attempt
 * @param max the longest wait
 */
public record RetryBackoff(Duration first, Duration max) {

    public RetryBackoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("the first retry delay must be positive, got " + first);
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException(
                    "the longest retry delay (" + max + ") is shorter than the first (" + first + ")");
        }
    }

    /** The wait after {@code failedAttempts} attempts have failed (1 for the first failure). */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failed attempts start at 1, got " + failedAttempts);
        }
        Duration delay = first;
        for (int i = 1; i < failedAttempts; i++) {
            delay = delay.multipliedBy(2);
            if (delay.compareTo(max) >= 0) {
                return max;
            }
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
