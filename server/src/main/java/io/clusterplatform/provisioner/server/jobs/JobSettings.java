package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.core.jobs.RetryBackoff;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the job queue and its worker, under {@code provisioner.jobs.*} (environment:
 * {@code PROVISIONER_JOBS_WORKERS}, ...).
 *
 * @param pollInterval how often the worker looks for queued jobs, cancel requests and expired leases
 * @param lease how long a claimed job stays held without a heartbeat; a worker renews its leases
 *     every third of it, so a job whose worker died is taken up again after at most this long
 * @param workers how many jobs this server runs at once
 * @param retryDelay the wait before the second attempt after a transient failure; it doubles with
 *     every further failure
 * @param maxRetryDelay the longest wait between attempts
 * @param shutdownGrace how long a stopping server waits for running jobs before it hands them back
 *     to the queue (another server, or this one after a restart, runs them again)
 */
@ConfigurationProperties("provisioner.jobs")
public record JobSettings(
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("2") int workers,
        @DefaultValue("10s") Duration retryDelay,
        @DefaultValue("10m") Duration maxRetryDelay,
        @DefaultValue("10s") Duration shutdownGrace) {

    public JobSettings {
        requirePositive("poll-interval", pollInterval);
        requirePositive("lease", lease);
        requirePositive("retry-delay", retryDelay);
        requirePositive("max-retry-delay", maxRetryDelay);
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException(
                    "provisioner.jobs.shutdown-grace must be zero or more, got " + shutdownGrace);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("provisioner.jobs.workers must be at least 1, got " + workers);
        }
        if (lease.compareTo(pollInterval.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException(
                    "provisioner.jobs.lease (" + lease + ") must be at least three poll intervals (" + pollInterval
                            + "), or leases expire between heartbeats");
        }
        if (maxRetryDelay.compareTo(retryDelay) < 0) {
            throw new IllegalArgumentException("provisioner.jobs.max-retry-delay (" + maxRetryDelay
                    + ") is shorter than provisioner.jobs.retry-delay (" + retryDelay + ")");
        }
    }

    /** The defaults, for code and tests that build a queue by hand. */
    public static JobSettings defaults() {
        return new JobSettings(
                Duration.ofMillis(500),
                Duration.ofSeconds(60),
                2,
                Duration.ofSeconds(10),
                Duration.ofMinutes(10),
                Duration.ofSeconds(10));
    }

    public RetryBackoff backoff() {
        return new RetryBackoff(retryDelay, maxRetryDelay);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("provisioner.jobs." + name + " must be positive, got " + value);
        }
    }
}
