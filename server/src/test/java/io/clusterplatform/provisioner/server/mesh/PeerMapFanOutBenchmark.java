package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.PostgresServer;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How long a change takes to reach many long-polling nodes: {@code -Dbenchmark.nodes} (default
 * 1000) nodes of one network wait on {@code GET /api/mesh/nodes/{id}/peers?since=...} over real HTTP,
 * one more host joins, and each poll's answer time is taken from the moment the join was sent (the
 * 200 ms coalescing window is part of it). {@code -Dbenchmark.runs} rounds (default 3; the first one
 * warms the JIT up). Client and server share this JVM and the machine's cores. Not part of the test
 * suite (surefire skips *Benchmark; the name leaves "Mesh" out so that -Dtest='Mesh*,*Mesh*' skips it too):
 *
 * <pre>
 * ./mvnw -B -q -pl server -am test -Dtest=PeerMapFanOutBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.nodes=1000 -Dbenchmark.backend=H2
 * </pre>
 */
class PeerMapFanOutBenchmark {
    private static final int NODES = Integer.getInteger("benchmark.nodes", 1000);
    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    private static final Backend BACKEND = Backend.valueOf(System.getProperty("benchmark.backend", "H2"));

    @Test
    void aJoinReachesEveryWaitingNode() throws Exception {
        PostgresServer postgres = BACKEND == Backend.POSTGRESQL ? PostgresServer.start() : null;
        try (BackendDatabase database =
                        postgres == null ? BackendDatabase.h2() : BackendDatabase.postgres(postgres, "fanout");
                StandaloneServer server = StandaloneServer.start(database)) {
            Api api = server.api();
            String network = MeshFixtures.createNetwork(api);
            MeshService mesh = server.bean(MeshService.class);
            String token = MeshFixtures.token(api, network, "{\"uses\":" + (NODES + RUNS) + "}");
            List<JoinAnswer> nodes = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                nodes.add(mesh.join(new MeshService.JoinRequest(token, MeshFixtures.publicKey(), "n" + i, null)));
            }
            long since = nodes.getLast().version();
            for (int run = 1; run <= RUNS; run++) {
                System.out.println("PEER MAP FAN-OUT run " + run + ": " + round(api, token, nodes, since));
                since++;
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static String round(Api api, String token, List<JoinAnswer> nodes, long since) throws Exception {
        long[] answeredAt = new long[NODES];
        int[] status = new int[NODES];
        try (ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> polls = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                int n = i;
                Api node = api.withToken(nodes.get(i).nodeToken());
                String path = "/api/mesh/nodes/" + nodes.get(i).nodeId() + "/peers?since=" + since + "&wait=30s";
                polls.add(CompletableFuture.runAsync(
                        () -> {
                            Api.Response r = node.get(path);
                            answeredAt[n] = System.nanoTime();
                            status[n] = r.status();
                        },
                        pollers));
            }
            Thread.sleep(Duration.ofSeconds(5)); // every poll is waiting by now
            long sent = System.nanoTime();
            Api.Response joined = MeshFixtures.join(api, token, MeshFixtures.publicKey(), "late", null);
            long joinAnswered = System.nanoTime();
            assertThat(joined.status()).isEqualTo(201);
            CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(Arrays.stream(status).filter(s -> s == 200).count()).isEqualTo(NODES);
            double[] ms = Arrays.stream(answeredAt)
                    .mapToDouble(at -> (at - sent) / 1e6)
                    .sorted()
                    .toArray();
            return String.format(
                    Locale.ROOT,
                    "%s, %d nodes: join answered in %.0f ms; change to poll answer p50 %.0f ms, p90 %.0f ms,"
                            + " p99 %.0f ms, max %.0f ms",
                    BACKEND,
                    NODES,
                    (joinAnswered - sent) / 1e6,
                    ms[ms.length / 2],
                    ms[(int) (ms.length * 0.9)],
                    ms[(int) (ms.length * 0.99)],
                    ms[ms.length - 1]);
        }
    }
}
