package io.clusterplatform.provisioner.server.timeline;

import static io.clusterplatform.provisioner.server.timeline.TimelineEntry.details;

import io.clusterplatform.provisioner.server.liveness.NodeEvent;
import io.clusterplatform.provisioner.server.liveness.NodeEventKind;
import io.clusterplatform.provisioner.server.liveness.NodeEventStore;
import java.util.List;
import org.springframework.stereotype.Component;

/** The node's registrations (said by the node) and changes of reachability (found by a distributor). */
@Component
class NodeEventSource implements TimelineSource {
    private final NodeEventStore events;

    NodeEventSource(NodeEventStore events) {
        this.events = events;
    }

    @Override
    public List<TimelineEntry> entries(TimelineHost host, int limit) {
        if (host.nodeId() == null) {
            return List.of();
        }
        return events.newest(host.nodeId(), limit).stream()
                .map(NodeEventSource::entry)
                .toList();
    }

    static TimelineEntry entry(NodeEvent e) {
        return new TimelineEntry(
                e.at(),
                e.kind().wireName(),
                e.kind() == NodeEventKind.REGISTERED ? TimelineEntry.Source.NODE : TimelineEntry.Source.DISTRIBUTOR,
                e.detail() == null ? e.kind().wireName() : e.detail(),
                details("nodeId", e.nodeId(), "eventId", e.id()));
    }
}
