package io.clusterplatform.provisioner.server.timeline;

import static io.clusterplatform.provisioner.server.timeline.TimelineEntry.details;

import java.util.List;
import org.springframework.stereotype.Component;

/** What the server served to the host's address, and its registrations as requests. */
@Component
class HostFetchSource implements TimelineSource {
    private final HostFetchStore fetches;

    HostFetchSource(HostFetchStore fetches) {
        this.fetches = fetches;
    }

    @Override
    public List<TimelineEntry> entries(TimelineHost host, int limit) {
        if (host.ip() == null) {
            return List.of();
        }
        return fetches.newest(host.ip(), limit).stream()
                .map(HostFetchSource::entry)
                .toList();
    }

    static TimelineEntry entry(HostFetch f) {
        String summary = f.method() + " " + f.path() + " answered " + f.status()
                + (f.bytes() == null ? "" : ", " + f.bytes() + " bytes")
                + (f.times() > 1 ? ", " + f.times() + " times until " + f.lastAt() : "");
        if (f.method().equals("POST")) {
            summary = "registration: " + summary;
        }
        return new TimelineEntry(
                f.at(),
                "fetch",
                TimelineEntry.Source.SERVER,
                summary,
                details(
                        "clientIp", f.clientIp(),
                        "method", f.method(),
                        "path", f.path(),
                        "status", f.status(),
                        "bytes", f.bytes(),
                        "times", f.times(),
                        "lastAt", f.lastAt()));
    }
}
