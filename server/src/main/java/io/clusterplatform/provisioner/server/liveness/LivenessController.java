package io.clusterplatform.provisioner.server.liveness;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.distributors.Distributor;
import io.clusterplatform.provisioner.server.distributors.DistributorAgents;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Liveness checks, for a distributor's own agent: which localnodes to check and how often, and the
 * report of what it found. Both count as the distributor being seen.
 */
@RestController
@RequestMapping("/api/distributors/{id}/checks")
@Tag(name = "distributors")
class LivenessController {
    record CheckPlan(long everySeconds, List<LivenessStore.Target> nodes) {}

    record ChecksReported(int updated) {}

    private final DistributorAgents agents;
    private final LivenessStore store;
    private final LivenessSettings settings;

    LivenessController(DistributorAgents agents, LivenessStore store, LivenessSettings settings) {
        this.agents = agents;
        this.store = store;
        this.settings = settings;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Agent: the localnodes of the distributor's artifactId to check, and how often:"
                    + " {everySeconds, nodes: [{id, ip, sshPort}]}")
    CheckPlan plan(@PathVariable long id) {
        Distributor distributor = agents.requireOwn(id, "fetch liveness checks");
        return new CheckPlan(settings.checkEvery().toSeconds(), store.targets(distributor.artifactId()));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Agent: report 1 to 1000 check results {\"results\": [{nodeId, ip, reachable, sshOpen,"
                    + " checkedAt}]}; answers how many nodes took them. A node of another artifactId is a 403;"
                    + " a change of reachable becomes a node event")
    ChecksReported report(@PathVariable long id, @RequestBody JsonNode body) {
        Distributor distributor = agents.requireOwn(id, "report liveness checks");
        return new ChecksReported(store.record(distributor, CheckUpload.parse(body)));
    }
}
