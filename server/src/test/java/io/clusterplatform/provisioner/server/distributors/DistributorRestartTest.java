package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
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
                token = first.api()
                        .asOperator()
                        .post("/api/distributors/tokens", "{\"artifactId\":\"restart.example\"}")
                        .json()
                        .get("token")
                        .asText();
                distributorId = first.api()
                        .withToken(token)
                        .post("/api/distributors/register", "{\"hostname\":\"pxe-1\"}")
                        .json()
                        .get("id")
                        .asLong();
                commandId = first.api()
                        .asOperator()
                        .put("/api/distributors/" + distributorId + "/status", "{\"on\":true}")
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
                assertThat(agent.post(commands + "/" + commandId + "/result", "{\"ok\":true}")
                                .status())
                        .isEqualTo(200);
                assertThat(agent.get(commands + "?wait=0s").status()).isEqualTo(204);
            }
        }
    }
}
