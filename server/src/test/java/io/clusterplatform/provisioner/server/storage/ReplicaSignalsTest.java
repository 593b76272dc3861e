package io.clusterplatform.provisioner.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.mesh.MeshFixtures;
import io.clusterplatform.provisioner.server.mesh.MeshFixtures.Joined;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Agents.Agent;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import io.clusterplatform.provisioner.server.testing.UseBackend;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two replicas on one PostgreSQL database, started at the same moment with the same bootstrap token
 * (both store it, neither fails). Their polls look at the database themselves only every 30 s
 * ({@code provisioner.replicas.recheck}, {@code provisioner.mesh.recheck}), longer than the polls
 * wait: so what one replica commits reaches a poll waiting on the other only through {@link
 * ReplicaSignals}' wake-ups.
 */
@UseBackend(Backend.POSTGRESQL)
class ReplicaSignalsTest {
    private static final String SLOW_RECHECK = "30s";
    private static ThrowawayDirectory otherDir;
    private static StandaloneServer a;
    private static StandaloneServer b;

    @BeforeAll
    static void startTwoReplicasAtOnce(BackendDatabase database) {
        otherDir = ThrowawayDirectory.create("provisioner-replica-b-");
        List<String> args = new ArrayList<>(database.serverArguments());
        args.removeIf(arg -> arg.startsWith("--provisioner.data-dir="));
        args.addAll(List.of(
                "--server.address=127.0.0.1",
                "--provisioner.replicas.recheck=" + SLOW_RECHECK,
                "--provisioner.mesh.recheck=" + SLOW_RECHECK));
        String[] shared = args.toArray(String[]::new);
        CompletableFuture<StandaloneServer> first =
                CompletableFuture.supplyAsync(() -> StandaloneServer.start(database.dataDir(), shared));
        CompletableFuture<StandaloneServer> second =
                CompletableFuture.supplyAsync(() -> StandaloneServer.start(otherDir.path(), shared));
        a = first.join();
        b = second.join();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable each : new AutoCloseable[] {b, a, otherDir}) {
            if (each != null) {
                try {
                    each.close();
                } catch (Exception ignored) {
                    // the others still close
                }
            }
        }
    }

    @Test
    void bothReplicasTakeTheBootstrapToken() {
        assertThat(a.api().asOperator().get("/api/mainscripts").status()).isEqualTo(200);
        assertThat(b.api().asOperator().get("/api/mainscripts").status()).isEqualTo(200);
    }

    @Test
    void aCommandQueuedThroughOneReplicaReachesAnAgentPollingAnother() throws Exception {
        Agent agent = Agents.enrol(a.api());
        a.bean(JdbcClient.class)
                .sql("UPDATE distributors SET last_seen = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(3), agent.distributorId())
                .update();
        Api agentOnB = b.api().withToken(agent.token().secret());
        String commands = "/api/distributors/" + agent.distributorId() + "/commands";
        CompletableFuture<Api.Response> poll =
                CompletableFuture.supplyAsync(() -> agentOnB.get(commands + "?wait=20s"));
        Awaitility.await("the poll on replica B to be waiting")
                .atMost(Duration.ofSeconds(10))
                .until(() -> a.api()
                        .asOperator()
                        .get("/api/distributors/" + agent.distributorId())
                        .json()
                        .get("online")
                        .asBoolean());

        Api.Response queued = a.api()
                .asOperator()
                .put("/api/distributors/" + agent.distributorId() + "/status", Json.body(Map.of("on", true)));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);

        Api.Response delivered = poll.get(15, TimeUnit.SECONDS);
        assertThat(delivered.status())
                .as("woken by replica A's notification, not by its own recheck (30 s) nor its wait (20 s)")
                .isEqualTo(200);
        assertThat(delivered.json().get("id").asLong())
                .isEqualTo(queued.json().get("id").asLong());
    }

    @Test
    void aJoinThroughOneReplicaReachesAPeerMapPollOnAnother() throws Exception {
        String network = MeshFixtures.createNetwork(a.api());
        Joined first = MeshFixtures.joinNew(a.api(), network, "auto", "first");
        Api firstOnB = b.api().withToken(first.answer().get("nodeToken").asText());
        CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(
                () -> firstOnB.get(first.peersPath() + "?since=" + first.version() + "&wait=20s"));
        Awaitility.await("the peer-map poll on replica B to be waiting")
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !poll.isDone());

        Joined second = MeshFixtures.joinNew(a.api(), network, "auto", "second");

        Api.Response answered = poll.get(15, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        JsonNode delta = answered.json();
        assertThat(delta.get("version").asLong())
                .as("woken by replica A's notification, not by a recheck (30 s) nor the wait (20 s)")
                .isGreaterThan(first.version());
        assertThat(delta.get("added").findValuesAsText("nodeId")).contains(String.valueOf(second.nodeId()));
    }
}
