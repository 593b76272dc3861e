package io.clusterplatform.provisioner.server.scriptruns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Script runs through the API, with the test in the agent's place (its token, its endpoints); the
 * SSH part runs for real in the lab (DistributorLabTest) and in the agent's tests.
 */
class ScriptRunApiTest extends ServerIntegrationTest {

    private Agents.Agent agent;
    private long nodeId;
    private String privateKey;

    @BeforeEach
    void siteWithNodeAndKey() {
        agent = Agents.enrol(api);
        Api.Response node = api.post("/api/localnodes?ip=10.9.8.7&artifactId=" + agent.site() + "&pingable=true");
        assertThat(node.status()).as(node.toString()).isEqualTo(201);
        nodeId = node.json().get("id").asLong();
        privateKey = api.asOperator()
                .get("/api/sshkey?algorithm=ed25519")
                .json()
                .get("privateKey")
                .asText();
        Api.Response key = api.asOperator()
                .post(
                        "/api/sshkeys",
                        Json.body(Map.of("text", privateKey, "artifactId", agent.site(), "private", true)));
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
    }

    private Api.Response run(Map<String, ?> request) {
        return api.asOperator().put("/api/localnodes/" + nodeId + "/script", Json.body(request));
    }

    private String runPath(long runId) {
        return "/api/distributors/" + agent.distributorId() + "/scriptruns/" + runId;
    }

    private long queue(String script) {
        Api.Response queued = run(Map.of("script", script));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        return queued.json().get("id").asLong();
    }

    @Test
    void aRunIsQueuedForTheDistributorWhichTakesItOnceWithTheKey() {
        Api.Response queued = run(Map.of("script", "uname -a; id -u"));

        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        long runId = queued.json().get("id").asLong();
        assertThat(queued.raw().headers().firstValue("Location")).hasValue("/api/scriptruns/" + runId);
        assertThat(queued.json().get("status").asText()).isEqualTo("queued");
        assertThat(queued.json().get("user").asText()).isEqualTo("root");
        JsonNode command = agent.api()
                .get("/api/distributors/" + agent.distributorId() + "/commands?wait=1s")
                .json();
        assertThat(command.get("kind").asText()).isEqualTo("script");
        assertThat(command.get("payload").toString()).isEqualTo(Json.body(Map.of("runId", runId)));

        Api.Response started = agent.api().get(runPath(runId));
        Api.Response again = agent.api().get(runPath(runId));

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("ip").asText()).isEqualTo("10.9.8.7");
        assertThat(started.json().get("port").asInt()).isEqualTo(22);
        assertThat(started.json().get("script").asText()).isEqualTo("uname -a; id -u");
        assertThat(started.json().get("privateKey").asText()).isEqualTo(privateKey);
        assertThat(started.json().get("pinnedHostKey").isNull()).isTrue();
        assertThat(started.json().get("timeoutSeconds").asInt()).isEqualTo(300);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("a run starts once");
        assertThat(api.asOperator()
                        .get("/api/scriptruns/" + runId)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("running");
    }

    @Test
    void outputIsStoredOnceAndCanBeFollowedUntilTheRunEnds() throws Exception {
        long runId = queue("echo hello world");
        agent.api().get(runPath(runId));
        CompletableFuture<Api.Response> follower = CompletableFuture.supplyAsync(
                () -> api.asOperator().get("/api/scriptruns/" + runId + "/output?wait=20s"));

        assertThat(output(runId, "stdout", 0, "hello ").json().get("size").asInt())
                .isEqualTo(6);
        assertThat(follower.get().json().get("stdout").asText()).isEqualTo("hello ");
        assertThat(output(runId, "stdout", 0, "hello world\n")
                        .json()
                        .get("size")
                        .asInt())
                .as("a chunk sent again is stored once")
                .isEqualTo(12);
        assertThat(output(runId, "stderr", 0, "warn\n").status()).isEqualTo(200);
        Api.Response gap = output(runId, "stdout", 100, "x");
        assertThat(gap.status()).isEqualTo(409);
        assertThat(gap.json().get("detail").asText()).contains("send from 12");
        assertThat(output(runId, "stdin", 0, "x").status()).isEqualTo(400);

        JsonNode rest = api.asOperator()
                .get("/api/scriptruns/" + runId + "/output?stdoutOffset=6&stderrOffset=0")
                .json();
        assertThat(rest.get("stdout").asText()).isEqualTo("world\n");
        assertThat(rest.get("stderr").asText()).isEqualTo("warn\n");
        assertThat(rest.get("stdoutOffset").asInt()).isEqualTo(12);

        Api.Response result = agent.api().post(runPath(runId) + "/result", Json.body(Map.of("exitCode", 0)));
        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        JsonNode done = api.asOperator().get("/api/scriptruns/" + runId).json();
        assertThat(done.get("status").asText()).isEqualTo("done");
        assertThat(done.get("exitCode").asInt()).isZero();
        assertThat(done.get("stdout").asText()).isEqualTo("hello world\n");
        assertThat(done.get("stderr").asText()).isEqualTo("warn\n");
        assertThat(api.asOperator()
                        .get("/api/scriptruns/" + runId + "/output?stdoutOffset=12&stderrOffset=5&wait=20s")
                        .json()
                        .get("status")
                        .asText())
                .as("a follower of an ended run gets the end at once")
                .isEqualTo("done");
        JsonNode timeline =
                api.asOperator().get("/api/localnodes/" + nodeId + "/timeline").json();
        assertThat(timeline.toString())
                .contains("script run " + runId + " queued for root@10.9.8.7")
                .contains("script run " + runId + " exited with 0");
        assertThat(agent.api()
                        .post(runPath(runId) + "/result", Json.body(Map.of("exitCode", 1)))
                        .json()
                        .get("exitCode")
                        .asInt())
                .as("a result sent again changes nothing")
                .isZero();
    }

    @Test
    void aFailedRunKeepsItsErrorAndTheFirstHostKeyIsPinnedUntilForgotten() {
        long first = queue("true");
        agent.api().get(runPath(first));
        String hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVzZWQtb25seS1hcy1hLXRlc3QtaG9zdC1rZXkx";
        agent.api().post(runPath(first) + "/result", Json.body(Map.of("exitCode", 3, "hostKey", hostKey)));

        long second = queue("true");
        JsonNode start = agent.api().get(runPath(second)).json();
        agent.api()
                .post(
                        runPath(second) + "/result",
                        Json.body(Map.of(
                                "error", "the host key of 10.9.8.7:22 changed", "hostKey", "ssh-ed25519 AAAAother")));

        assertThat(api.asOperator()
                        .get("/api/scriptruns/" + first)
                        .json()
                        .get("status")
                        .asText())
                .as("the script ran and exited 3: done, with its exit code")
                .isEqualTo("done");
        assertThat(start.get("pinnedHostKey").asText()).isEqualTo(hostKey);
        JsonNode failed = api.asOperator().get("/api/scriptruns/" + second).json();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("changed");
        assertThat(api.asOperator()
                        .get("/api/localnodes/" + nodeId + "/hostkey")
                        .json()
                        .get("hostKey")
                        .asText())
                .as("a changed key is not pinned over the first")
                .isEqualTo(hostKey);

        assertThat(api.asOperator()
                        .delete("/api/localnodes/" + nodeId + "/hostkey")
                        .status())
                .isEqualTo(204);
        assertThat(api.asOperator()
                        .get("/api/localnodes/" + nodeId + "/hostkey")
                        .json()
                        .get("hostKey")
                        .isNull())
                .isTrue();
    }

    @Test
    void theGivenPrivateKeyIsUsedOnceAndNeverShown() {
        String given = api.asOperator()
                .get("/api/sshkey?algorithm=ecdsa")
                .json()
                .get("privateKey")
                .asText();
        Api.Response queued = run(Map.of("script", "id", "privateKey", given, "user", "admin", "timeoutSeconds", 5));
        long runId = queued.json().get("id").asLong();

        JsonNode start = agent.api().get(runPath(runId)).json();
        agent.api().post(runPath(runId) + "/result", Json.body(Map.of("exitCode", 0)));

        assertThat(start.get("privateKey").asText()).isEqualTo(given);
        assertThat(start.get("user").asText()).isEqualTo("admin");
        assertThat(start.get("timeoutSeconds").asInt()).isEqualTo(5);
        String body = given.lines().skip(1).findFirst().orElseThrow();
        assertThat(queued.body()).doesNotContain(body);
        assertThat(api.asOperator().get("/api/scriptruns/" + runId).body()).doesNotContain(body);
        assertThat(api.asOperator()
                        .get("/api/localnodes/" + nodeId + "/scriptruns")
                        .body())
                .doesNotContain(body)
                .doesNotContain(privateKey.lines().skip(1).findFirst().orElseThrow());
        assertThat(api.asOperator()
                        .get("/api/distributors/" + agent.distributorId() + "/commands")
                        .body())
                .doesNotContain(body);
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        assertThat(problem(run(Map.of()))).contains("'script' is required");
        assertThat(problem(run(Map.of("script", "id", "user", "root; rm")))).contains("'user'");
        assertThat(problem(run(Map.of("script", "id", "timeoutSeconds", 0)))).contains("'timeoutSeconds'");
        assertThat(problem(run(Map.of("script", "id", "timeoutSeconds", 99999))))
                .contains("'timeoutSeconds'");
        assertThat(problem(run(Map.of("script", "id", "privateKey", "not a key"))))
                .isNotBlank();
        assertThat(api.asOperator()
                        .put("/api/localnodes/999999999/script", Json.body(Map.of("script", "id")))
                        .status())
                .isEqualTo(404);

        Api.Response keyless = api.post("/api/localnodes?ip=10.9.8.8&artifactId=keyless.site&pingable=true");
        Api.Response noKey = api.asOperator()
                .put(
                        "/api/localnodes/" + keyless.json().get("id").asLong() + "/script",
                        Json.body(Map.of("script", "id")));
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().get("detail").asText()).contains("no private key of artifactId 'keyless.site'");
        Api.Response noDistributor = api.asOperator()
                .put(
                        "/api/localnodes/" + keyless.json().get("id").asLong() + "/script",
                        Json.body(Map.of("script", "id", "privateKey", privateKey)));
        assertThat(noDistributor.status()).isEqualTo(409);
        assertThat(noDistributor.json().get("detail").asText()).contains("no distributor of artifactId 'keyless.site'");
    }

    @Test
    void onlyTheDistributorsOwnAgentTakesAndReportsARun() {
        long runId = queue("id");
        Agents.Agent other = Agents.enrol(api);

        assertThat(api.asOperator().get(runPath(runId)).status()).isEqualTo(403);
        assertThat(api.get(runPath(runId)).status()).isEqualTo(401);
        assertThat(other.api().get(runPath(runId)).status()).isEqualTo(403);
        assertThat(other.api()
                        .get("/api/distributors/" + other.distributorId() + "/scriptruns/" + runId)
                        .status())
                .isEqualTo(403);
        assertThat(agent.api().get("/api/scriptruns/" + runId).status()).isEqualTo(403);
    }

    private Api.Response output(long runId, String stream, int offset, String text) {
        return agent.api()
                .post(runPath(runId) + "/output", Json.body(Map.of("stream", stream, "offset", offset, "text", text)));
    }

    private static String problem(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        return response.json().get("detail").asText();
    }
}
