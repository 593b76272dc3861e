package io.clusterplatform.provisioner.server.timeline;

import static io.clusterplatform.provisioner.server.timeline.TimelineEntry.details;

import io.clusterplatform.provisioner.server.distributors.BootEvent;
import io.clusterplatform.provisioner.server.distributors.BootEventKind;
import io.clusterplatform.provisioner.server.distributors.BootEventStore;
import java.util.List;
import org.springframework.stereotype.Component;

/** The DHCP and TFTP events the distributors saw for the host, by its MAC and IP. */
@Component
class BootEventSource implements TimelineSource {
    private final BootEventStore events;

    BootEventSource(BootEventStore events) {
        this.events = events;
    }

    @Override
    public List<TimelineEntry> entries(TimelineHost host, int limit) {
        return events.newestForHost(host.mac(), host.ip(), host.artifactId(), limit).stream()
                .filter(e -> e.kind() != BootEventKind.SERVICE)
                .map(BootEventSource::entry)
                .toList();
    }

    static TimelineEntry entry(BootEvent e) {
        return new TimelineEntry(
                e.at(),
                e.kind().wireName(),
                TimelineEntry.Source.DISTRIBUTOR,
                summary(e),
                details(
                        "distributorId", e.distributorId(),
                        "seq", e.seq(),
                        "mac", e.mac(),
                        "ip", e.ip(),
                        "file", e.file(),
                        "message", e.message()));
    }

    private static String summary(BootEvent e) {
        String by = "distributor " + e.distributorId();
        String host = e.mac() == null ? e.ip() : e.ip() == null ? e.mac() : e.mac() + " (" + e.ip() + ")";
        if (e.kind() == BootEventKind.DHCP) {
            return e.file() == null
                    ? by + " made a PXE offer to " + host
                    : by + " told " + host + " to boot " + e.file();
        }
        String message = e.message();
        String file = e.file() == null ? "a file" : e.file();
        if (message.contains(" sent ")) {
            return by + " sent " + file + " over TFTP to " + host;
        }
        if (message.contains(" not found")) {
            return by + " has no " + file + " that " + host + " asked for over TFTP";
        }
        int tag = message.indexOf("]: ");
        return "TFTP transfer of " + by + " to " + host + " failed: "
                + (tag < 0 ? message : message.substring(tag + 3));
    }
}
