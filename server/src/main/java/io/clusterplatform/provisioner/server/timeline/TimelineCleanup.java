package io.clusterplatform.provisioner.server.timeline;

import io.clusterplatform.provisioner.server.distributors.BootEventStore;
import io.clusterplatform.provisioner.server.liveness.NodeEventStore;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes, every hour, the boot events, host fetches and node events older than {@code
 * provisioner.timeline.keep}. Every replica runs it; deleting twice does no harm.
 */
@Component
class TimelineCleanup {
    private static final Logger log = LoggerFactory.getLogger(TimelineCleanup.class);

    /** How many rows one cleanup deleted. */
    record Deleted(int bootEvents, int hostFetches, int nodeEvents) {}

    private final BootEventStore bootEvents;
    private final HostFetchStore fetches;
    private final NodeEventStore nodeEvents;
    private final TimelineSettings settings;
    private final Clock clock;

    TimelineCleanup(
            BootEventStore bootEvents,
            HostFetchStore fetches,
            NodeEventStore nodeEvents,
            TimelineSettings settings,
            Clock clock) {
        this.bootEvents = bootEvents;
        this.fetches = fetches;
        this.nodeEvents = nodeEvents;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(initialDelay = 1, fixedDelay = 60, timeUnit = TimeUnit.MINUTES)
    void scheduled() {
        try {
            Deleted deleted = cleanUp();
            if (deleted.bootEvents() + deleted.hostFetches() + deleted.nodeEvents() > 0) {
                log.info(
                        "Deleted timeline entries older than {}: {} boot events, {} host fetches, {} node events",
                        settings.keep(),
                        deleted.bootEvents(),
                        deleted.hostFetches(),
                        deleted.nodeEvents());
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete old timeline entries; trying again in an hour: {}", e.toString());
        }
    }

    Deleted cleanUp() {
        Instant cutoff = clock.instant().minus(settings.keep());
        return new Deleted(
                bootEvents.deleteReceivedBefore(cutoff), fetches.deleteBefore(cutoff), nodeEvents.deleteBefore(cutoff));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {}
}
