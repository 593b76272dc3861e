package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A localnode joins a mesh network with one call: a single-use token and a script run through its distributor. */
class MeshLocalnodeApiTest extends ServerIntegrationTest {

    @Test
    void oneCallQueuesTheAgentWithASingleUseTokenForTheNodesDistributor() {
        Agents.Agent agent = Agents.enrol(api);
        long nodeId = api.post("/api/localnodes?ip=10.7.7.7&artifactId=" + agent.site() + "&pingable=true")
                .json()
                .get("id")
                .asLong();
        String privateKey = api.asOperator()
                .get("/api/sshkey?algorithm=ed25519")
                .json()
                .get("privateKey")
                .asText();
        api.asOperator()
                .post(
                        "/api/sshkeys",
                        Json.body(Map.of("text", privateKey, "artifactId", agent.site(), "private", true)));
        String networkId = MeshFixtures.createNetwork(api);

        Api.Response joining = api.asOperator()
                .post("/api/mesh/networks/" + networkId + "/localnodes/" + nodeId, Json.body(Map.of("role", "worker")));

        assertThat(joining.status()).as(joining.toString()).isEqualTo(202);
        long runId = joining.json().get("run").get("id").asLong();
        assertThat(joining.json().get("role").asText()).isEqualTo("worker");
        JsonNode run = api.asOperator().get("/api/scriptruns/" + runId).json();
        assertThat(run.get("status").asText()).isEqualTo("queued");
        assertThat(run.get("script").asText())
                .contains("/mesh/agent.sh")
                .contains("--token 'cpm_")
                .contains("--endpoint '10.7.7.7'")
                .doesNotContain("nodeToken=");
        JsonNode command = agent.api()
                .get("/api/distributors/" + agent.distributorId() + "/commands?wait=1s")
                .json();
        assertThat(command.get("kind").asText()).isEqualTo("script");
        assertThat(command.get("payload").get("runId").asLong()).isEqualTo(runId);
        JsonNode tokens = api.asOperator()
                .get("/api/mesh/networks/" + networkId + "/tokens")
                .json();
        assertThat(tokens.toString()).contains("localnode " + nodeId).doesNotContain("\"token\"");
    }

    @Test
    void unknownNodesAndNetworksAre404() {
        String networkId = MeshFixtures.createNetwork(api);
        assertThat(api.asOperator()
                        .post("/api/mesh/networks/" + networkId + "/localnodes/999999999", "{}")
                        .status())
                .isEqualTo(404);
        long nodeId = api.post("/api/localnodes?ip=10.7.7.8&artifactId=mesh-404.example&pingable=true")
                .json()
                .get("id")
                .asLong();
        assertThat(api.asOperator()
                        .post("/api/mesh/networks/no-such-network/localnodes/" + nodeId, "{}")
                        .status())
                .isEqualTo(404);
    }

    /** Without a stored key the advice is to send 'privateKey', and the join accepts it for that run. */
    @Test
    void aJoinWithoutAStoredKeyTakesThePrivateKeyItIsAdvisedToSend() {
        Agents.Agent agent = Agents.enrol(api);
        long nodeId = api.post("/api/localnodes?ip=10.7.7.9&artifactId=" + agent.site() + "&pingable=true")
                .json()
                .get("id")
                .asLong();
        String networkId = MeshFixtures.createNetwork(api);
        String path = "/api/mesh/networks/" + networkId + "/localnodes/" + nodeId;

        Api.Response advised = api.asOperator().post(path, "{}");
        assertThat(advised.status()).isEqualTo(400);
        assertThat(advised.json().get("detail").asText()).contains("send 'privateKey'");

        String privateKey = api.asOperator()
                .get("/api/sshkey?algorithm=ed25519")
                .json()
                .get("privateKey")
                .asText();
        Api.Response joining = api.asOperator().post(path, Json.body(Map.of("privateKey", privateKey)));
        assertThat(joining.status()).as(joining.toString()).isEqualTo(202);
        assertThat(joining.body()).doesNotContain("PRIVATE KEY");
        long runId = joining.json().get("run").get("id").asLong();
        assertThat(api.asOperator().get("/api/scriptruns/" + runId).body()).doesNotContain("PRIVATE KEY");
    }
}
