package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.PostgresServer;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How long a change takes to reach many long-polling nodes, and what the server holds for each
 * waiting one. The server runs in a process of its own ({@link ServerProcess}, -Xmx512m, the chosen
 * backend); this JVM is the clients. {@code -Dbenchmark.nodes} (default 1000) nodes of one network
 * wait on {@code GET /api/mesh/nodes/{id}/peers?since=...} over real HTTP/1.1, one connection each.
 * Each round ({@code -Dbenchmark.runs}, default 3; the first one warms the JIT up):
 *
 * <ol>
 *   <li>server heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), platform and
 *       virtual threads, with no poll open;
 *   <li>the same with every node's poll waiting;
 *   <li>one more host joins, and each poll's answer time is taken from the moment the join was sent
 *       (the 200 ms coalescing window is part of it);
 *   <li>reference, same connections, now idle: the heap again (what N open keep-alive connections
 *       cost without a poll), and N concurrent {@code GET /actuator/health/liveness} answered at once
 *       (what moving N requests and answers through this server and client costs at all).
 * </ol>
 *
 * Not part of the test suite (surefire skips *Benchmark; the name leaves "Mesh" out so that
 * -Dtest='Mesh*,*Mesh*' skips it too). Writes the tables to
 * server/target/benchmarks/mesh-fan-out-&lt;backend&gt;.md:
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
    private static final Pattern HEAP_USED =
            Pattern.compile("heap\\s+total reserved \\d+K, committed \\d+K, used (\\d+)K");
    private static final Pattern LIVE_THREADS = Pattern.compile("java\\.threads\\.live=(\\d+)");
    private static final Pattern THREAD_ID = Pattern.compile("\"tid\":");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(.+)$");

    record Node(long nodeId, String nodeToken) {}

    /** The server's heap (KiB, after a full GC), its threads, and bytes per class at one moment. */
    record Server(long heapKib, int platformThreads, int virtualThreads, Map<String, Long> bytesByClass) {}

    /** Milliseconds from the moment the requests (or the join) were sent to each answer, sorted. */
    record Times(double[] ms) {
        double at(double quantile) {
            return ms[Math.min(ms.length - 1, (int) (ms.length * quantile))];
        }

        double max() {
            return ms[ms.length - 1];
        }
    }

    record Round(double joinMs, Times fanOut, Times reference, Server none, Server waiting, Server idle) {}

    @Test
    void aJoinReachesEveryWaitingNode() throws Exception {
        PostgresServer postgres = BACKEND == Backend.POSTGRESQL ? PostgresServer.start() : null;
        List<Round> rounds = new ArrayList<>();
        try (BackendDatabase database =
                        postgres == null ? BackendDatabase.h2() : BackendDatabase.postgres(postgres, "fanout");
                ThrowawayDirectory dumps = ThrowawayDirectory.create("provisioner-fanout-");
                ServerProcess server = ServerProcess.start(database.dataDir(), serverArguments(database))) {
            Api api = server.api();
            String network = MeshFixtures.createNetwork(api);
            String token = MeshFixtures.token(api, network, Map.of("uses", NODES + RUNS));
            List<Node> nodes = new ArrayList<>();
            long since = joinAll(api, token, nodes);
            for (int run = 1; run <= RUNS; run++) {
                Round round = round(server, dumps.path(), token, nodes, since);
                rounds.add(round);
                System.out.println("PEER MAP FAN-OUT run " + run + ": " + summary(round));
                since++;
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
        String tables = tables(rounds);
        System.out.println(tables);
        Path out =
                Path.of("target", "benchmarks", "mesh-fan-out-" + BACKEND.name().toLowerCase(Locale.ROOT) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, tables);
    }

    /** The database's settings without its data directory, which ServerProcess names itself. */
    private static String[] serverArguments(BackendDatabase database) {
        return database.serverArguments().stream()
                .filter(arg -> !arg.startsWith("--provisioner.data-dir="))
                .toArray(String[]::new);
    }

    /** Joins the nodes over HTTP, eight at a time; returns the network's version after the last join. */
    private static long joinAll(Api api, String token, List<Node> nodes) throws Exception {
        Node[] joined = new Node[NODES];
        long[] versions = new long[NODES];
        try (ExecutorService joiners = Executors.newFixedThreadPool(8)) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                int n = i;
                all.add(CompletableFuture.runAsync(
                        () -> {
                            Api.Response r = MeshFixtures.join(api, token, MeshFixtures.publicKey(), "n" + n, null);
                            assertThat(r.status()).as(r.toString()).isEqualTo(201);
                            joined[n] = new Node(
                                    r.json().get("nodeId").asLong(),
                                    r.json().get("nodeToken").asText());
                            versions[n] = r.json().get("version").asLong();
                        },
                        joiners));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        }
        nodes.addAll(List.of(joined));
        return Arrays.stream(versions).max().orElseThrow();
    }

    private static Round round(ServerProcess server, Path dumps, String token, List<Node> nodes, long since)
            throws Exception {
        URI base = server.api().base();
        // A client of this round's own: closing it closes its connections, so each round starts with none.
        try (HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            Server none = measure(server.pid(), dumps);
            List<CompletableFuture<Integer>> polls = new ArrayList<>();
            long[] answeredAt = new long[NODES];
            for (int i = 0; i < NODES; i++) {
                int n = i;
                HttpRequest request = HttpRequest.newBuilder(base.resolve(
                                "/api/mesh/nodes/" + nodes.get(n).nodeId() + "/peers?since=" + since + "&wait=30s"))
                        .header("Authorization", "Bearer " + nodes.get(n).nodeToken())
                        .timeout(Duration.ofSeconds(60))
                        .build();
                polls.add(CompletableFuture.supplyAsync(
                        () -> {
                            int status = send(client, request);
                            answeredAt[n] = System.nanoTime();
                            return status;
                        },
                        pollers));
            }
            Thread.sleep(Duration.ofSeconds(5)); // every poll is waiting by now
            assertThat(polls).noneMatch(CompletableFuture::isDone);
            Server waiting = measure(server.pid(), dumps);

            long sent = System.nanoTime();
            Api.Response joined = MeshFixtures.join(server.api(), token, MeshFixtures.publicKey(), "late", null);
            double joinMs = (System.nanoTime() - sent) / 1e6;
            assertThat(joined.status()).isEqualTo(201);
            CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(polls).allMatch(p -> p.join() == 200);
            Times fanOut = times(answeredAt, sent);

            Server idle = measure(server.pid(), dumps);
            Times reference = concurrently(
                    client,
                    pollers,
                    i -> HttpRequest.newBuilder(base.resolve("/actuator/health/liveness"))
                            .timeout(Duration.ofSeconds(60))
                            .build());
            return new Round(joinMs, fanOut, reference, none, waiting, idle);
        }
    }

    /** Sends NODES requests at once; their answer times from the moment the first was sent. */
    private static Times concurrently(HttpClient client, ExecutorService threads, IntFunction<HttpRequest> requests)
            throws Exception {
        long[] answeredAt = new long[NODES];
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long sent = System.nanoTime();
        for (int i = 0; i < NODES; i++) {
            int n = i;
            HttpRequest request = requests.apply(n);
            all.add(CompletableFuture.runAsync(
                    () -> {
                        assertThat(send(client, request)).isEqualTo(200);
                        answeredAt[n] = System.nanoTime();
                    },
                    threads));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return times(answeredAt, sent);
    }

    private static int send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Times times(long[] answeredAt, long sent) {
        return new Times(Arrays.stream(answeredAt)
                .mapToDouble(at -> (at - sent) / 1e6)
                .sorted()
                .toArray());
    }

    /** Full GC in the server, then its heap in use and its threads (platform from perf counters, all from a dump). */
    private static Server measure(long pid, Path dumps) {
        jcmd(pid, "GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        assertThat(heap.find()).as("jcmd GC.heap_info names the heap in use").isTrue();
        Matcher live = LIVE_THREADS.matcher(jcmd(pid, "PerfCounter.print"));
        assertThat(live.find()).isTrue();
        int platform = Integer.parseInt(live.group(1));
        Path dump = dumps.resolve("threads-" + System.nanoTime() + ".json");
        jcmd(pid, "Thread.dump_to_file", "-format=json", dump.toString());
        int all;
        try {
            all = (int) THREAD_ID.matcher(Files.readString(dump)).results().count();
            Files.delete(dump);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Long> bytesByClass = new HashMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(jcmd(pid, "GC.class_histogram"));
        while (row.find()) {
            bytesByClass.merge(row.group(2).strip(), Long.parseLong(row.group(1)), Long::sum);
        }
        return new Server(Long.parseLong(heap.group(1)), platform, all - platform, bytesByClass);
    }

    private static String jcmd(long pid, String... command) {
        List<String> full = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        full.addAll(List.of(command));
        Shell.Result result = Shell.run(full, Timeouts.process());
        assertThat(result.exitCode())
                .as(full + ": " + result.stdout() + result.stderr())
                .isZero();
        return result.stdout();
    }

    private static String summary(Round r) {
        return String.format(
                Locale.ROOT,
                "%s, %d nodes: join answered in %.0f ms; change to poll answer p50 %.0f ms, p90 %.0f ms, p99 %.0f ms,"
                        + " max %.0f ms; reference (liveness, same connections) p50 %.0f ms, max %.0f ms; heap %d KiB"
                        + " with no poll, %d KiB with %d waiting (%.1f KiB each), %d KiB with the connections idle;"
                        + " threads platform %d -> %d, virtual %d -> %d",
                BACKEND,
                NODES,
                r.joinMs(),
                r.fanOut().at(0.5),
                r.fanOut().at(0.9),
                r.fanOut().at(0.99),
                r.fanOut().max(),
                r.reference().at(0.5),
                r.reference().max(),
                r.none().heapKib(),
                r.waiting().heapKib(),
                NODES,
                perNode(r.waiting(), r.none()),
                r.idle().heapKib(),
                r.none().platformThreads(),
                r.waiting().platformThreads(),
                r.none().virtualThreads(),
                r.waiting().virtualThreads());
    }

    private static double perNode(Server with, Server without) {
        return (with.heapKib() - without.heapKib()) / (double) NODES;
    }

    private static String tables(List<Round> rounds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%s, %d nodes long-polling, server in its own process (-Xmx512m). Milliseconds from sending:%n%n",
                BACKEND,
                NODES));
        out.append("| run | join answered | fan-out p50 | p90 | p99 | max | reference p50 | reference max"
                + " | fan-out max / reference max |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            out.append(String.format(
                    Locale.ROOT,
                    "| %d%s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f |%n",
                    i + 1,
                    i == 0 && rounds.size() > 1 ? " (warm-up)" : "",
                    r.joinMs(),
                    r.fanOut().at(0.5),
                    r.fanOut().at(0.9),
                    r.fanOut().at(0.99),
                    r.fanOut().max(),
                    r.reference().at(0.5),
                    r.reference().max(),
                    r.fanOut().max() / r.reference().max()));
        }
        out.append("\nServer heap after a full GC (KiB) and threads:\n\n");
        out.append("| run | no poll open | ")
                .append(NODES)
                .append(" polls waiting | per waiting node | the same connections idle | per idle connection"
                        + " | platform threads, none / waiting | virtual threads, none / waiting |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %d | %d | %.1f | %d | %.1f | %d / %d | %d / %d |%n",
                    i + 1,
                    r.none().heapKib(),
                    r.waiting().heapKib(),
                    perNode(r.waiting(), r.none()),
                    r.idle().heapKib(),
                    perNode(r.idle(), r.none()),
                    r.none().platformThreads(),
                    r.waiting().platformThreads(),
                    r.none().virtualThreads(),
                    r.waiting().virtualThreads()));
        }
        Round last = rounds.getLast();
        out.append("\nWhere a waiting poll's heap goes (run ")
                .append(rounds.size())
                .append(", class histogram with the polls waiting minus with none open, per node, largest first):\n\n")
                .append("| class | bytes per waiting node |\n|---|---|\n");
        Map<String, Long> grew = new HashMap<>();
        last.waiting()
                .bytesByClass()
                .forEach((type, bytes) ->
                        grew.put(type, bytes - last.none().bytesByClass().getOrDefault(type, 0L)));
        grew.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(12)
                .forEach(e -> out.append(
                        String.format(Locale.ROOT, "| `%s` | %.0f |%n", e.getKey(), e.getValue() / (double) NODES)));
        return out.toString();
    }
}
