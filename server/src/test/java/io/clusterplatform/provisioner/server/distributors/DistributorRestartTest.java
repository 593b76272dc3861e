package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Agents.Agent;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Commands are rows: a command queued (and even fetched) before a restart is delivered after it. */
class DistributorRestartTest {

    @Test
    void anUnacknowledgedCommandSurvivesARestartAndTheTokenKeepsWorking() {
        try (ThrowawayDirectory data = ThrowawayDirectory.create("provisioner-distributor-restart-")) {
            String token;
            long distributorId;
            long commandId;
            try (StandaloneServer first = StandaloneServer.start(data.path())) {
                Agent agent = Agents.enrol(first.api(), "restart.example");
                token = agent.token().secret();
                distributorId = agent.distributorId();
                commandId = first.api()
                        .asOperator()
                        .put("/api/distributors/" + distributorId + "/status", Json.body(Map.of("on", true)))
                        .json()
                        .get("id")
                        .asLong();
                Api.Response fetched =
                        first.api().withToken(token).get("/api/distributors/" + distributorId + "/commands?wait=0s");
                assertThat(fetched.json().get("id").asLong()).isEqualTo(commandId);
            }
            try (StandaloneServer second = StandaloneServer.start(data.path())) {
                Api agent = second.api().withToken(token);
                String commands = "/api/distributors/" + distributorId + "/commands";
                Api.Response again = agent.get(commands + "?wait=0s");
                assertThat(again.status()).as(again.toString()).isEqualTo(200);
                assertThat(again.json().get("id").asLong()).isEqualTo(commandId);
                assertThat(again.json().get("deliveries").asInt()).isEqualTo(2);
                assertThat(agent.post(commands + "/" + commandId + "/result", Json.body(Map.of("ok", true)))
                                .status())
                        .isEqualTo(200);
                assertThat(agent.get(commands + "?wait=0s").status()).isEqualTo(204);
            }
        }
    }
}
