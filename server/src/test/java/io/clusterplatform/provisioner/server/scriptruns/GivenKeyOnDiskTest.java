package io.clusterplatform.provisioner.server.scriptruns;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A private key given with a run never reaches the database: after the run, no line of it is in any
 * file of the data directory (the embedded database's file included, old row versions and all).
 */
class GivenKeyOnDiskTest extends ServerIntegrationTest {
    @Autowired
    private GivenKeys givenKeys;

    @Autowired
    private JdbcClient jdbc;

    private Agents.Agent agent;
    private long nodeId;

    @BeforeEach
    void siteWithNode() {
        agent = Agents.enrol(api);
        nodeId = api.post("/api/localnodes?ip=10.9.8.9&artifactId=" + agent.site() + "&pingable=true")
                .json()
                .get("id")
                .asLong();
    }

    private String newKey() {
        return api.asOperator()
                .get("/api/sshkey?algorithm=ed25519")
                .json()
                .get("privateKey")
                .asText();
    }

    private long queueWith(String privateKey) {
        Api.Response queued = api.asOperator()
                .put(
                        "/api/localnodes/" + nodeId + "/script",
                        Json.body(Map.of("script", "id", "privateKey", privateKey)));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        return queued.json().get("id").asLong();
    }

    private String runPath(long runId) {
        return "/api/distributors/" + agent.distributorId() + "/scriptruns/" + runId;
    }

    @Test
    void noLineOfTheKeyIsInTheDataDirectoryAfterTheRun() throws IOException {
        String given = newKey();
        long runId = queueWith(given);
        assertThat(agent.api().get(runPath(runId)).json().get("privateKey").asText())
                .isEqualTo(given);
        agent.api().post(runPath(runId) + "/result", Json.body(Map.of("exitCode", 0)));
        jdbc.sql("CHECKPOINT").update();

        // the first base64 line is the same in every OpenSSH ed25519 key (other tests store such keys)
        List<String> secretLines =
                given.lines().filter(line -> !line.startsWith("-----")).skip(1).toList();
        assertThat(secretLines).isNotEmpty();
        try (Stream<Path> files = Files.walk(dataDir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String line : secretLines) {
                    assertThat(bytes)
                            .as("%s holds a line of the given key", file)
                            .doesNotContain(line);
                }
            }
        }
    }

    /** The key lives in the accepting server's memory only: without it (a restart) the run fails, saying so. */
    @Test
    void aRunWhoseKeyWasLostFailsSayingWhyAndIsNotRun() {
        long runId = queueWith(newKey());
        givenKeys.forget(runId);

        Api.Response start = agent.api().get(runPath(runId));

        assertThat(start.status()).isEqualTo(409);
        assertThat(start.body()).doesNotContain("PRIVATE KEY");
        assertThat(start.json().get("detail").asText()).contains("send the run again");
        var run = api.asOperator().get("/api/scriptruns/" + runId).json();
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("error").asText()).isEqualTo(GivenKeys.LOST);
    }
}
