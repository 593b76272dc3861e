package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.mesh.MeshFixtures.Joined;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Changes that come in a burst reach a waiting node as one delta. The window is long here (2 s,
 * scaled with the test timeout factor) so that three joins surely fall into it.
 */
class MeshCoalescingTest {
    private static final Duration WINDOW = Timeouts.scaled(Duration.ofSeconds(2));
    private static StandaloneServer server;

    @BeforeAll
    static void start() {
        server = StandaloneServer.startFresh("--provisioner.mesh.coalesce=" + WINDOW.toMillis() + "ms");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBurstOfJoinsReachesAWaitingNodeAsOneDelta() throws Exception {
        Api api = server.api();
        String network = MeshFixtures.createNetwork(api);
        Joined a = MeshFixtures.joinNew(api, network, "auto", "a");
        CompletableFuture<Api.Response> waiting =
                CompletableFuture.supplyAsync(() -> a.api().get(a.peersPath() + "?since=" + a.version() + "&wait=30s"));
        Thread.sleep(300);

        long firstJoin = System.nanoTime();
        List<Long> joined = new ArrayList<>();
        for (String host : List.of("b", "c", "d")) {
            joined.add(MeshFixtures.joinNew(api, network, "auto", host).nodeId());
        }
        Duration burst = Duration.ofNanos(System.nanoTime() - firstJoin);
        Api.Response answer = waiting.get(Timeouts.request().toSeconds(), TimeUnit.SECONDS);
        Duration waited = Duration.ofNanos(System.nanoTime() - firstJoin);

        assertThat(burst).as("the joins fit into the window").isLessThan(WINDOW);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode delta = answer.json();
        assertThat(delta.get("version").asLong()).isEqualTo(a.version() + 3);
        List<Long> added = new ArrayList<>();
        delta.get("added").forEach(peer -> added.add(peer.get("nodeId").asLong()));
        assertThat(added).containsExactlyElementsOf(joined);
        assertThat(waited).isGreaterThanOrEqualTo(WINDOW);
    }

    @Test
    void aNodeBehindGetsItsDeltaWithoutWaitingForTheWindow() {
        Api api = server.api();
        String network = MeshFixtures.createNetwork(api);
        Joined a = MeshFixtures.joinNew(api, network, "auto", "a");
        MeshFixtures.joinNew(api, network, "auto", "b");

        long asked = System.nanoTime();
        Api.Response answer = a.api().get(a.peersPath() + "?since=" + a.version() + "&wait=30s");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(WINDOW);
    }
}
