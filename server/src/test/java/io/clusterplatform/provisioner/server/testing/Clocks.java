package io.clusterplatform.provisioner.server.testing;

import static org.awaitility.Awaitility.await;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.time.Duration;
import java.time.Instant;

/** Waiting for time to pass, for tests about timestamps, without sleeping blindly. */
public final class Clocks {
    private Clocks() {}

    /**
     * Waits until the system clock is past {@code instant} by more than the microsecond that the
     * databases keep, so that the next stored timestamp is strictly later.
     */
    public static void awaitPast(Instant instant) {
        await("the clock to pass " + instant)
                .atMost(Timeouts.request())
                .pollInterval(Duration.ofMillis(1))
                .until(() -> Instant.now().isAfter(instant.plusNanos(1_000)));
    }
}
