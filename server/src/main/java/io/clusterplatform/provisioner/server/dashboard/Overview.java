package io.clusterplatform.provisioner.server.dashboard;

import io.clusterplatform.provisioner.core.nodes.NodeHealth;
import java.util.Map;

/**
 * The dashboard's first page in numbers.
 *
 * @param nodesByHealth how many localnodes have each colour (every colour present, 0 when none)
 */
public record Overview(
        Map<NodeHealth.Colour, Integer> nodesByHealth,
        int nodes,
        int distributorsOnline,
        int distributorsOffline,
        int buildsInFlight) {

    public int nodesWith(String colour) {
        return nodesByHealth.getOrDefault(NodeHealth.Colour.valueOf(colour), 0);
    }
}
