package io.clusterplatform.provisioner.distributor.liveness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clusterplatform.provisioner.core.jobs.RetryBackoff;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the localnodes of this distributor's artifactId and reports what it found: every {@code
 * everySeconds} (the server says how often, with the list of nodes) it connects to each node's SSH
 * port (2 s timeout) and, when that fails, pings it (1 s), in parallel (at most {@link #PARALLEL} at
 * once), then posts the results. A node is reachable when its SSH port accepts, refuses (a refused
 * connection is an answer from the host), or it answers the ping. While the server is away it waits
 * (1 s doubling to 30 s) and tries again; results of rounds it could not post are dropped, the next
 * round is newer.
 */
public final class LivenessChecker {
    private static final Logger log = LoggerFactory.getLogger(LivenessChecker.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration PING_TIMEOUT = Duration.ofSeconds(1);
    static final int PARALLEL = 64;
    /** The most results one report carries; the server takes up to 1000. */
    static final int REPORT_SIZE = 1000;

    private static final RetryBackoff RETRIES = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** A node to check, as the server lists it. */
    record Target(long id, String ip, int sshPort) {}

    /** What a check found; {@code sshOpen} is null when the port was not tried. */
    record Result(long nodeId, String ip, boolean reachable, Boolean sshOpen, Instant checkedAt) {}

    /** What to check and how often, from the server. */
    record Plan(Duration every, List<Target> nodes) {}

    private final ServerLink link;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration pingTimeout;

    public LivenessChecker(ServerLink link) {
        this(link, Clock.systemUTC(), CONNECT_TIMEOUT, PING_TIMEOUT);
    }

    LivenessChecker(ServerLink link, Clock clock, Duration connectTimeout, Duration pingTimeout) {
        this.link = link;
        this.clock = clock;
        this.connectTimeout = connectTimeout;
        this.pingTimeout = pingTimeout;
    }

    /** What a TCP connection to a port found. */
    enum Port {
        /** The connection was accepted. */
        OPEN,
        /** The host answered with a reset ("connection refused"): it is up, nothing listens. */
        REFUSED,
        /** No answer within the timeout, no route, or an address that cannot be used. */
        SILENT
    }

    /** Tries a TCP connection to {@code ip:port} for at most {@code timeout}. */
    static Port probe(String ip, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(ip), port), millis(timeout));
            return Port.OPEN;
        } catch (ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("refused") ? Port.REFUSED : Port.SILENT;
        } catch (IOException | RuntimeException e) {
            return Port.SILENT;
        }
    }

    /** A node is reachable when its SSH port answered (open or refused), else when it answers a ping. */
    static boolean reachable(Port ssh, BooleanSupplier ping) {
        return ssh != Port.SILENT || ping.getAsBoolean();
    }

    /**
     * Checks one node: TCP to its SSH port, then (unless the host answered on it) a ping. Never
     * throws: any failure to reach the node is the answer "unreachable".
     */
    Result check(Target target) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Port ssh = probe(target.ip(), target.sshPort(), connectTimeout);
        return new Result(target.id(), target.ip(), reachable(ssh, () -> ping(target.ip())), ssh == Port.OPEN, at);
    }

    private boolean ping(String ip) {
        try {
            // ICMP echo when the agent may (root or CAP_NET_RAW), else TCP to port 7
            return InetAddress.getByName(ip).isReachable(millis(pingTimeout));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Checks all nodes, at most {@link #PARALLEL} at once, and returns the results in their order. */
    List<Result> checkAll(List<Target> targets) throws InterruptedException {
        if (targets.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, targets.size()), runnable -> {
            Thread thread = new Thread(runnable, "liveness-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Result>> checks = new ArrayList<>(targets.size());
            for (Target target : targets) {
                checks.add(pool.submit(() -> check(target)));
            }
            List<Result> results = new ArrayList<>(targets.size());
            for (Future<Result> check : checks) {
                try {
                    results.add(check.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a check failed unexpectedly", e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs rounds until interrupted, for the distributor that {@code distributorId} names at the time
     * (negative: not registered, so nothing to do yet).
     */
    public void run(LongSupplier distributorId) {
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long id = distributorId.getAsLong();
                if (id < 0) {
                    Thread.sleep(200);
                    continue;
                }
                long started = System.nanoTime();
                Plan plan = checks(id);
                List<Result> results = checkAll(plan.nodes());
                for (int from = 0; from < results.size(); from += REPORT_SIZE) {
                    reportChecks(id, results.subList(from, Math.min(results.size(), from + REPORT_SIZE)));
                }
                if (failures > 0) {
                    log.info("liveness checks reported again ({} nodes)", results.size());
                }
                failures = 0;
                long left = plan.every().toNanos() - (System.nanoTime() - started);
                if (left > 0) {
                    Thread.sleep(Duration.ofNanos(left));
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                failures++;
                Duration wait = RETRIES.delayAfter(failures);
                if (failures == 1) {
                    log.warn("cannot run liveness checks: {}; trying again in {} ms", e.getMessage(), wait.toMillis());
                } else {
                    log.debug("cannot run liveness checks: {}", e.getMessage());
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** The localnodes to check for liveness and how often: {@code GET /api/distributors/{id}/checks}. */
    private Plan checks(long distributorId) throws IOException {
        JsonNode answer = link.get("/api/distributors/" + distributorId + "/checks");
        List<Target> nodes = new ArrayList<>();
        for (JsonNode node : answer.path("nodes")) {
            nodes.add(new Target(
                    node.path("id").asLong(),
                    node.path("ip").asText(),
                    node.path("sshPort").asInt(22)));
        }
        return new Plan(
                Duration.ofSeconds(Math.max(1, answer.path("everySeconds").asLong(10))), List.copyOf(nodes));
    }

    /** Reports check results (at most 1000); returns how many nodes took them. */
    private int reportChecks(long distributorId, List<Result> results) throws IOException {
        ObjectNode body = link.object();
        ArrayNode list = body.putArray("results");
        for (Result result : results) {
            ObjectNode entry = list.addObject()
                    .put("nodeId", result.nodeId())
                    .put("ip", result.ip())
                    .put("reachable", result.reachable());
            if (result.sshOpen() == null) {
                entry.putNull("sshOpen");
            } else {
                entry.put("sshOpen", result.sshOpen());
            }
            entry.put("checkedAt", result.checkedAt().toString());
        }
        return link.post("/api/distributors/" + distributorId + "/checks", body)
                .path("updated")
                .asInt();
    }

    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}
