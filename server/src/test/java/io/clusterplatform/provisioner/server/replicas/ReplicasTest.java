package io.clusterplatform.provisioner.server.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.bootloaders.TestBootloaders;
import io.clusterplatform.provisioner.server.builds.Builds;
import io.clusterplatform.provisioner.server.compatibility.OriginalTutorialTest;
import io.clusterplatform.provisioner.server.mesh.MeshFixtures;
import io.clusterplatform.provisioner.server.mesh.MeshFixtures.Joined;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.DashboardLogins;
import io.clusterplatform.provisioner.server.testing.PostgresServer;
import io.clusterplatform.provisioner.server.testing.Replicas;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Three replicas on one PostgreSQL database and one S3 bucket (s3proxy) behind HAProxy, round-robin
 * ({@link Replicas}). First the original tutorial's requests, all of them, through the load balancer
 * (inherited from {@link OriginalTutorialTest}); then what only replicas can get wrong: builds and
 * registrations while a replica is killed every 15 s, every file from every replica, a mesh join
 * through one replica reaching a poll on another, a dashboard session outliving its replica.
 *
 * <p>The replicas' polls look at the database themselves only every 30 s, longer than the polls wait,
 * so a poll answered on another replica was woken by the committing one (storage/ReplicaSignals).
 */
class ReplicasTest extends OriginalTutorialTest {
    private static final String ARTIFACT_ID = "replicas.load.example";
    private static final Duration KILL_EVERY = Duration.ofSeconds(15);
    private static final Duration FRAGMENT_DELAY = Duration.ofSeconds(6);
    private static Replicas replicas;
    private static HttpServer fragments;
    private static final List<JsonNode> builtIsos = new ArrayList<>();

    @BeforeAll
    static void startFragmentServer() throws Exception {
        byte[] efi = Files.readAllBytes(TestBootloaders.systemSource().ipxe(IpxeTarget.X86_64_EFI));
        fragments = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fragments.setExecutor(Executors.newCachedThreadPool());
        // A slow remote input: each build downloads for FRAGMENT_DELAY, so kills find builds running.
        fragments.createContext("/ipxe.efi", exchange -> {
            try {
                Thread.sleep(FRAGMENT_DELAY.toMillis());
                exchange.sendResponseHeaders(200, efi.length);
                try (var body = exchange.getResponseBody()) {
                    body.write(efi);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException gone) {
                // a killed replica's connection
            } finally {
                exchange.close();
            }
        });
        fragments.start();
    }

    @AfterAll
    static void stopFragmentServer() {
        fragments.stop(0);
    }

    @Override
    protected Target start() {
        replicas = Replicas.start(
                3,
                "--provisioner.jobs.lease=3s",
                "--provisioner.jobs.workers=1",
                "--provisioner.fetch.allow-local-addresses=true",
                "--provisioner.replicas.recheck=30s",
                "--provisioner.mesh.recheck=30s");
        return new Target() {
            @Override
            public String baseUrl() {
                return replicas.url();
            }

            @Override
            public Api api() {
                return replicas.api();
            }

            @Override
            public void close() {
                replicas.close();
            }
        };
    }

    @Test
    @Order(100)
    void aReplicaKilledEvery15sLosesNoBuildAndNoAcknowledgedRegistration() throws Exception {
        Api lb = replicas.api();
        String efiUrl = "http://127.0.0.1:" + fragments.getAddress().getPort() + "/ipxe.efi";
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Builds.queue(
                            lb, "isos", Map.of("label", "REPLICAS " + i, "script", "#!ipxe", "ipxeUefiUrl", efiUrl))
                    .get("id")
                    .asLong());
        }

        AtomicBoolean loading = new AtomicBoolean(true);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger unanswered = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(CompletableFuture.runAsync(
                    () -> {
                        while (loading.get()) {
                            int n = next.incrementAndGet();
                            String ip = "10.77." + (n / 250) + "." + (n % 250 + 1);
                            try {
                                Api.Response registered = lb.post(
                                        "/api/localnodes?ip=" + ip + "&artifactId=" + ARTIFACT_ID + "&pingable=true");
                                if (registered.status() == 200 || registered.status() == 201) {
                                    acknowledged.add(ip);
                                } else {
                                    unanswered.incrementAndGet();
                                }
                            } catch (RuntimeException cut) {
                                unanswered.incrementAndGet();
                            }
                        }
                    },
                    load));
        }

        int kills = 0;
        try {
            Awaitility.await("a build on every replica")
                    .atMost(Timeouts.scaled(Duration.ofMinutes(1)))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            statuses(lb, ids).stream().filter("working"::equals).count() >= replicas.count());
            while (statuses(lb, ids).stream().anyMatch(ReplicasTest::unfinished)) {
                long killedAt = System.nanoTime();
                int victim = kills % replicas.count();
                replicas.kill(victim);
                kills++;
                replicas.restart(victim);
                long waitNanos = KILL_EVERY.toNanos() - (System.nanoTime() - killedAt);
                Awaitility.await("the next kill, or every build finished")
                        .atMost(Duration.ofNanos(Math.max(waitNanos, 1)).plusSeconds(1))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> System.nanoTime() - killedAt >= KILL_EVERY.toNanos()
                                || statuses(lb, ids).stream().noneMatch(ReplicasTest::unfinished));
            }
        } finally {
            loading.set(false);
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            load.shutdown();
        }
        replicas.awaitBalanced();

        int restarted = 0;
        for (long id : ids) {
            JsonNode done = Builds.awaitDone(lb, "isos", id);
            List<String> transitions = Builds.transitions(lb, done);
            assertThat(transitions).as("iso %s: %s", id, transitions).containsOnlyOnce("done");
            if (transitions.stream().filter("working"::equals).count() > 1) {
                restarted++;
            }
            builtIsos.add(done);
        }
        assertThat(kills).isPositive();
        assertThat(restarted)
                .as("builds a killed replica was working on, taken up by another")
                .isPositive();

        System.out.printf(
                "ReplicasTest: %d kills, %d of 5 builds taken up again, %d registrations acknowledged, %d cut%n",
                kills, restarted, acknowledged.size(), unanswered.get());
        Set<String> stored = storedIps();
        assertThat(acknowledged)
                .as("registrations acknowledged while replicas died")
                .hasSizeGreaterThan(20);
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertThat(lost)
                .as(
                        "acknowledged registrations missing (%d requests cut by kills were not acknowledged)",
                        unanswered.get())
                .isEmpty();
    }

    @Test
    @Order(101)
    void everyBuiltFileAndAssetDownloadsFromEveryReplica() throws Exception {
        assertThat(builtIsos).as("the builds of the kill test").hasSize(5);
        byte[] asset = randomBytes(20 * 1024 * 1024 + 17);
        String assetSha = sha256(asset);
        Api operator = replicas.api().asOperator();
        Api.Response uploaded = operator.send(operator.builder("/api/assets/replicas.img")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(asset)));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);

        for (int r = 0; r < replicas.count(); r++) {
            Api replica = replicas.replica(r);
            for (JsonNode iso : builtIsos) {
                JsonNode file = Builds.file(iso, "dist.iso");
                assertDownloads(
                        replica,
                        file.get("url").asText().replaceFirst("^http://[^/]+", ""),
                        file.get("sha256").asText());
            }
            assertDownloads(replica, "/assets/replicas.img", assetSha);
        }
    }

    private static void assertDownloads(Api replica, String path, String sha) throws Exception {
        HttpResponse<byte[]> whole = replica.send(replica.builder(path).GET(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).as(replica.base() + path).isEqualTo(200);
        assertThat(sha256(whole.body())).as(replica.base() + path).isEqualTo(sha);
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(whole.body().length);
        HttpResponse<byte[]> part = replica.send(
                replica.builder(path).header("Range", "bytes=100-1123").GET(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).as(replica.base() + path + " range").isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 100, 1124));
    }

    @Test
    @Order(102)
    void aMeshJoinThroughOneReplicaReachesAPollOnAnother() throws Exception {
        String network = MeshFixtures.createNetwork(replicas.replica(0));
        Joined first = MeshFixtures.joinNew(replicas.replica(0), network, "auto", "first");
        Api firstOnTwo =
                replicas.replica(2).withToken(first.answer().get("nodeToken").asText());
        CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(
                () -> firstOnTwo.get(first.peersPath() + "?since=" + first.version() + "&wait=20s"));
        Awaitility.await("the poll on replica 2 to be waiting")
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !poll.isDone());

        Joined second = MeshFixtures.joinNew(replicas.replica(1), network, "auto", "second");

        Api.Response answered = poll.get(15, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        assertThat(answered.json().get("added").findValuesAsText("nodeId"))
                .as("woken by replica 1's notification: polls look themselves every 30 s, this one waits 20 s")
                .contains(String.valueOf(second.nodeId()));
    }

    @Test
    @Order(103)
    void aDashboardSessionOutlivesTheReplicaItWasMadeOn() {
        String cookie = DashboardLogins.logIn(replicas.replica(0));
        replicas.kill(0);
        try {
            for (Api through : List.of(replicas.replica(1), replicas.replica(2), replicas.api())) {
                Api.Response page = through.withHeader("Cookie", cookie).get("/ui/");
                assertThat(page.status())
                        .as("the dashboard through %s with the session made on the killed replica", through.base())
                        .isEqualTo(200);
            }
        } finally {
            replicas.restart(0);
        }
    }

    /** The builds' statuses; {@code unknown} where a request was cut by a kill. */
    private static List<String> statuses(Api api, List<Long> ids) {
        List<String> statuses = new ArrayList<>();
        for (long id : ids) {
            try {
                Api.Response build = api.asOperator().get("/api/isos/" + id);
                statuses.add(build.status() == 200 ? build.json().get("status").asText() : "unknown");
            } catch (RuntimeException cut) {
                statuses.add("unknown");
            }
        }
        return statuses;
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(length).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static boolean unfinished(String status) {
        return !status.equals("done") && !status.equals("failed");
    }

    private static Set<String> storedIps() throws Exception {
        Set<String> ips = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(replicas.jdbcUrl(), PostgresServer.SUPERUSER, "");
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT ip FROM localnodes WHERE artifact_id = '" + ARTIFACT_ID + "'")) {
            while (rows.next()) {
                ips.add(rows.getString(1));
            }
        }
        return ips;
    }
}
