package io.clusterplatform.provisioner.server.mesh;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.clusterplatform.provisioner.core.mesh.MeshPath;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The path each node uses to each of its peers ({@link MeshPath}): from its agent's latest report
 * (its endpoint for the peer, the pair's handshake, the probe's round trip) and the network's relay
 * ports (an endpoint that is a relay's port for the pair is a relayed path).
 */
@Service
public class MeshPaths {
    /** One peer and the path to it. */
    public record PeerPath(
            long nodeId, String hostname, @JsonUnwrapped MeshPath path) {}

    /** A node with the paths to its peers, as the list of a network's nodes shows it. */
    public record NodeWithPaths(@JsonUnwrapped MeshNode node, List<PeerPath> paths) {}

    private final MeshNodeStore nodes;
    private final MeshRelays relays;
    private final Clock clock;

    MeshPaths(MeshNodeStore nodes, MeshRelays relays, Clock clock) {
        this.nodes = nodes;
        this.relays = relays;
        this.clock = clock;
    }

    /** The paths from each of {@code reporters} to its peers, in peer order (two queries for them all). */
    public Map<Long, List<PeerPath>> from(Collection<Long> reporters) {
        Map<Long, List<PeerPath>> paths = new HashMap<>();
        if (reporters.isEmpty()) {
            return paths;
        }
        Map<List<Long>, List<MeshRelays.Via>> vias = relays.vias(reporters);
        Instant now = clock.instant();
        nodes.sees(reporters).forEach((reporter, reports) -> {
            List<PeerPath> list = new ArrayList<>(reports.size());
            for (MeshNodeStore.Report report : reports) {
                MeshPath.Relay relay = vias.getOrDefault(List.of(reporter, report.nodeId()), List.of()).stream()
                        .filter(via -> via.endpoint().equals(report.endpoint()))
                        .findFirst()
                        .map(via -> new MeshPath.Relay(via.relayId(), via.hostname()))
                        .orElse(null);
                list.add(new PeerPath(
                        report.nodeId(),
                        report.hostname(),
                        MeshPath.of(report.lastHandshake(), report.endpoint(), relay, report.rttMicros(), now)));
            }
            paths.put(reporter, List.copyOf(list));
        });
        return paths;
    }

    /** The paths from {@code reporter} to its peers. */
    public List<PeerPath> from(long reporter) {
        return from(List.of(reporter)).getOrDefault(reporter, List.of());
    }

    /** The nodes, each with its paths. */
    public List<NodeWithPaths> withPaths(List<MeshNode> list) {
        Map<Long, List<PeerPath>> paths =
                from(list.stream().map(MeshNode::nodeId).toList());
        return list.stream()
                .map(node -> new NodeWithPaths(node, paths.getOrDefault(node.nodeId(), List.of())))
                .toList();
    }
}
