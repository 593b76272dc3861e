package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.mesh.MeshFixtures.Joined;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.UseBackend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two server replicas on one PostgreSQL: a node long-polling one of them learns of a join made
 * through the other within about a recheck interval (1 s), and a restarted server continues the
 * change log where it was.
 */
@UseBackend(Backend.POSTGRESQL)
class PostgresMeshReplicasTest {

    @Test
    void aChangeThroughOneReplicaReachesPollsOnTheOther(BackendDatabase database) throws Exception {
        try (StandaloneServer one = StandaloneServer.start(database);
                StandaloneServer two = StandaloneServer.start(database)) {
            String network = MeshFixtures.createNetwork(one.api());
            Joined a = MeshFixtures.joinNew(one.api(), network, "auto", "a");
            CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(
                    () -> a.api().get(a.peersPath() + "?since=" + a.version() + "&wait=25s"));
            Thread.sleep(300);

            long joinedAt = System.nanoTime();
            Joined b = MeshFixtures.joinNew(two.api(), network, "auto", "b");
            Api.Response answer = waiting.get(Timeouts.request().toSeconds(), TimeUnit.SECONDS);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().get("added").get(0).get("nodeId").asLong()).isEqualTo(b.nodeId());
            assertThat(Duration.ofNanos(System.nanoTime() - joinedAt))
                    .isLessThan(Timeouts.scaled(Duration.ofSeconds(5)));
            Api.Response onTwo = b.api().get(b.peersPath());
            assertThat(onTwo.json().get("peers").get(0).get("nodeId").asLong()).isEqualTo(a.nodeId());
        }
    }

    @Test
    void deltasContinueAcrossARestart(BackendDatabase database) {
        Joined a;
        long version;
        try (StandaloneServer before = StandaloneServer.start(database)) {
            String network = MeshFixtures.createNetwork(before.api());
            a = MeshFixtures.joinNew(before.api(), network, "auto", "a");
            version = a.version();
            MeshFixtures.joinNew(before.api(), network, "auto", "b");
        }
        try (StandaloneServer after = StandaloneServer.start(database)) {
            Api.Response delta = after.api()
                    .withToken(a.answer().get("nodeToken").asText())
                    .get(a.peersPath() + "?since=" + version);
            assertThat(delta.status()).as(delta.toString()).isEqualTo(200);
            assertThat(delta.json().get("full").asBoolean()).isFalse();
            assertThat(delta.json().get("added")).hasSize(1);
        }
    }
}
