package io.clusterplatform.provisioner.server.overview;

import io.clusterplatform.provisioner.core.nodes.NodeHealth;
import java.util.Map;

/**
 * The dashboard's first page in numbers.
 *
 * @param nodesByHealth how many localnodes have each colour (every colour present, 0 when none)
 * @param meshNodesByHealth how many mesh nodes (globalnodes) have each colour, by wire name
 * @param timelineFetchesDropped host fetches this server served but could not record for boot
 *     timelines since it started (its timeline writer's queue was full)
 */
public record Overview(
        Map<NodeHealth.Colour, Integer> nodesByHealth,
        int nodes,
        int distributorsOnline,
        int distributorsOffline,
        int buildsInFlight,
        int meshNetworks,
        Map<String, Integer> meshNodesByHealth,
        int meshNodes,
        long timelineFetchesDropped) {

    public int nodesWith(String colour) {
        return nodesByHealth.getOrDefault(NodeHealth.Colour.valueOf(colour), 0);
    }

    public int meshNodesWith(String colour) {
        return meshNodesByHealth.getOrDefault(colour, 0);
    }
}
