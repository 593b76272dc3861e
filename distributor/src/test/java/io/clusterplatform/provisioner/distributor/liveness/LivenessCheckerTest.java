package io.clusterplatform.provisioner.distributor.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks against real sockets on loopback; the report goes to a real HTTP server on loopback. */
class LivenessCheckerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T01:02:03Z");
    private ServerSocket ssh;
    private ServerSocket full;
    private final List<Socket> queued = new ArrayList<>();
    private final LivenessChecker checker =
            new LivenessChecker(null, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(300), Duration.ofMillis(300));

    @BeforeEach
    void listen() throws Exception {
        ssh = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        // A port that answers nothing: its accept queue is full, so Linux drops further SYNs unanswered.
        full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 2; i++) {
            Socket socket = new Socket();
            socket.connect(full.getLocalSocketAddress(), 1000);
            queued.add(socket);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (Socket socket : queued) {
            socket.close();
        }
        full.close();
        ssh.close();
    }

    /** A port on 127.0.0.1 that nothing listens on (bound, read back, closed). */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void probesTellAnOpenPortFromARefusedAndASilentOne() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        assertThat(LivenessChecker.probe("127.0.0.1", ssh.getLocalPort(), timeout))
                .isEqualTo(LivenessChecker.Port.OPEN);
        assertThat(LivenessChecker.probe("127.0.0.1", closedPort(), timeout)).isEqualTo(LivenessChecker.Port.REFUSED);
        long started = System.nanoTime();
        assertThat(LivenessChecker.probe("127.0.0.1", full.getLocalPort(), timeout))
                .isEqualTo(LivenessChecker.Port.SILENT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(LivenessChecker.probe("not an address", 22, timeout)).isEqualTo(LivenessChecker.Port.SILENT);
    }

    @Test
    void aNodeIsReachableWhenItsSshPortAnswersOrElseItAnswersAPing() {
        assertThat(LivenessChecker.reachable(LivenessChecker.Port.OPEN, () -> false))
                .isTrue();
        assertThat(LivenessChecker.reachable(LivenessChecker.Port.REFUSED, () -> false))
                .as("a refused connection is an answer of the host")
                .isTrue();
        assertThat(LivenessChecker.reachable(LivenessChecker.Port.SILENT, () -> true))
                .isTrue();
        assertThat(LivenessChecker.reachable(LivenessChecker.Port.SILENT, () -> false))
                .isFalse();
    }

    @Test
    void aNodeWhoseSshPortAcceptsIsReachableWithSshOpen() {
        LivenessChecker.Result result = checker.check(new LivenessChecker.Target(7, "127.0.0.1", ssh.getLocalPort()));

        assertThat(result).isEqualTo(new LivenessChecker.Result(7, "127.0.0.1", true, true, NOW));
    }

    @Test
    void aNodeThatRefusesItsSshPortIsReachableWithSshClosed() throws Exception {
        LivenessChecker.Result result = checker.check(new LivenessChecker.Target(7, "127.0.0.1", closedPort()));

        assertThat(result).isEqualTo(new LivenessChecker.Result(7, "127.0.0.1", true, false, NOW));
    }

    @Test
    void aNodeSilentOnItsSshPortIsAskedByPing() {
        LivenessChecker.Result result = checker.check(new LivenessChecker.Target(7, "127.0.0.1", full.getLocalPort()));

        assertThat(result.sshOpen()).isFalse();
        assertThat(result.reachable()).as("127.0.0.1 answers the ping").isTrue();
    }

    @Test
    void checksManyNodesAtOnceAndKeepsTheirOrder() throws Exception {
        int closed = closedPort();
        List<LivenessChecker.Target> targets = IntStream.range(0, 100)
                .mapToObj(i -> switch (i % 3) {
                    case 0 -> new LivenessChecker.Target(i, "127.0.0.1", ssh.getLocalPort());
                    case 1 -> new LivenessChecker.Target(i, "127.0.0.1", closed);
                    default -> new LivenessChecker.Target(i, "127.0.0.1", full.getLocalPort());
                })
                .toList();
        long started = System.nanoTime();

        List<LivenessChecker.Result> results = checker.checkAll(targets);

        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("33 silent ports at 300 ms each would take 10 s one after the other")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(results)
                .extracting(LivenessChecker.Result::nodeId)
                .containsExactlyElementsOf(
                        IntStream.range(0, 100).mapToObj(i -> (long) i).toList());
        assertThat(results)
                .allSatisfy(r -> assertThat(r.reachable()).isTrue())
                .allSatisfy(r -> assertThat(r.sshOpen()).isEqualTo(r.nodeId() % 3 == 0));
        assertThat(checker.checkAll(List.of())).isEmpty();
    }

    @Test
    void aRoundFetchesTheNodesFromTheServerAndReportsWhatItFound() throws Exception {
        int refused = closedPort();
        BlockingQueue<String> reports = new LinkedBlockingQueue<>();
        List<String> authorizations = new ArrayList<>();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/api/distributors/3/checks", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] answer;
            if (exchange.getRequestMethod().equals("GET")) {
                answer = ("{\"everySeconds\":1,\"nodes\":[{\"id\":1,\"ip\":\"127.0.0.1\",\"sshPort\":"
                                + ssh.getLocalPort() + "},{\"id\":2,\"ip\":\"127.0.0.1\",\"sshPort\":" + refused
                                + "}]}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                reports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                answer = "{\"updated\":2}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        http.start();
        ServerLink link = new ServerLink(
                URI.create("http://127.0.0.1:" + http.getAddress().getPort()), "cpd_token", new ObjectMapper());
        LivenessChecker rounds = new LivenessChecker(
                link, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(300), Duration.ofMillis(300));
        Thread thread = Thread.ofPlatform().daemon().start(() -> rounds.run(() -> 3));
        try {
            String first = reports.poll(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
            String second = reports.poll(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);

            assertThat(second).as("a round every second").isEqualTo(first);
            JsonNode report = new ObjectMapper().readTree(first);
            assertThat(report.toString())
                    .isEqualTo("{\"results\":[{\"nodeId\":1,\"ip\":\"127.0.0.1\",\"reachable\":true,\"sshOpen\":true,"
                            + "\"checkedAt\":\"2026-11-22T01:02:03Z\"},{\"nodeId\":2,\"ip\":\"127.0.0.1\","
                            + "\"reachable\":true,\"sshOpen\":false,\"checkedAt\":\"2026-11-22T01:02:03Z\"}]}");
            assertThat(authorizations).first().isEqualTo("Bearer cpd_token");
        } finally {
            thread.interrupt();
            thread.join(Timeouts.request().toMillis());
            http.stop(0);
        }
        assertThat(thread.isAlive()).as("stops when interrupted").isFalse();
    }

    @Test
    void waitsWhileNotRegisteredAndWhileTheServerIsAway() throws Exception {
        int closed = closedPort();
        ServerLink nowhere = new ServerLink(URI.create("http://127.0.0.1:" + closed), "cpd_token", new ObjectMapper());
        LivenessChecker rounds = new LivenessChecker(nowhere);
        List<Long> asked = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread thread = Thread.ofPlatform()
                .daemon()
                .start(() -> rounds.run(() -> {
                    asked.add(-1L);
                    return asked.size() < 3 ? -1 : 3;
                }));
        org.awaitility.Awaitility.await().atMost(Timeouts.request()).until(() -> asked.size() >= 4);
        thread.interrupt();
        thread.join(Timeouts.request().toMillis());
        assertThat(thread.isAlive()).isFalse();
    }
}
