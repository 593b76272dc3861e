package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Server replicas as an operator runs them on several machines: {@code count} server processes on one
 * PostgreSQL database and one S3 bucket (s3proxy), behind HAProxy balancing round-robin with health
 * checks on {@code /actuator/health/readiness} (the configuration of docs/DEPLOYMENT.md). Every
 * replica's public URL is the load balancer's. A replica can be killed with SIGKILL and started again
 * on its port; closing stops everything and deletes what it made.
 */
public final class Replicas implements AutoCloseable {
    public static final String BUCKET = "provisioner-replicas";

    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<ThrowawayDirectory> dataDirs = new ArrayList<>();
    private final ServerProcess[] servers;
    private final List<String> settings = new ArrayList<>();
    private PostgresServer postgres;
    private String jdbcUrl;
    private S3Server s3;
    private Process haproxy;
    private Path haproxyDir;
    private int lbPort;

    private Replicas(int count) {
        this.servers = new ServerProcess[count];
    }

    /** Starts the database, the bucket, the load balancer and {@code count} replicas (at the same time). */
    public static Replicas start(int count, String... extraSettings) {
        Replicas replicas = new Replicas(count);
        try {
            replicas.startAll(List.of(extraSettings));
            return replicas;
        } catch (RuntimeException | Error e) {
            replicas.close();
            throw e;
        }
    }

    private void startAll(List<String> extraSettings) {
        postgres = PostgresServer.start();
        owned.add(postgres::close);
        jdbcUrl = postgres.jdbcUrl(postgres.createDatabase("replicas"));
        s3 = S3Server.start();
        owned.add(s3);
        s3.createBucket(BUCKET);
        lbPort = ServerProcess.freePort();
        for (int i = 0; i < servers.length; i++) {
            ports.add(ServerProcess.freePort());
            ThrowawayDirectory dir = ThrowawayDirectory.create("provisioner-replica-" + i + "-");
            dataDirs.add(dir);
            owned.add(dir);
        }
        settings.addAll(List.of(
                "--provisioner.database-url=" + jdbcUrl,
                "--provisioner.database-user=" + PostgresServer.SUPERUSER,
                "--provisioner.public-url=" + url()));
        settings.addAll(s3.serverArgs("s3://" + BUCKET + "/"));
        settings.addAll(extraSettings);
        startHaproxy();
        List<CompletableFuture<ServerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            int index = i;
            starting.add(CompletableFuture.supplyAsync(() -> startReplica(index)));
        }
        for (int i = 0; i < servers.length; i++) {
            servers[i] = starting.get(i).join();
        }
        awaitBalanced();
    }

    private ServerProcess startReplica(int index) {
        return ServerProcess.startOn(ports.get(index), dataDirs.get(index).path(), settings.toArray(String[]::new));
    }

    private void startHaproxy() {
        ThrowawayDirectory dir = ThrowawayDirectory.create("provisioner-haproxy-");
        owned.add(dir);
        haproxyDir = dir.path();
        StringBuilder config = new StringBuilder();
        config.append("""
                global
                    maxconn 2000
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 90s
                    timeout server 90s
                    retries 3
                    option redispatch 1
                    retry-on conn-failure
                frontend provisioner
                    bind 127.0.0.1:%d
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET /actuator/health/readiness
                    http-check expect status 200
                    default-server inter 500ms fall 1 rise 1
                """.formatted(lbPort));
        for (int i = 0; i < servers.length; i++) {
            config.append("    server replica-%d 127.0.0.1:%d check%n".formatted(i, ports.get(i)));
        }
        Path file = haproxyDir.resolve("haproxy.cfg");
        try {
            Files.writeString(file, config.toString(), StandardCharsets.UTF_8);
            haproxy = new ProcessBuilder(Lab.program("haproxy", "haproxy"), "-db", "-f", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(haproxyDir.resolve("haproxy.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await("HAProxy to listen on " + lbPort)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!haproxy.isAlive()) {
                        throw new AssertionError(
                                "haproxy exited: " + Files.readString(haproxyDir.resolve("haproxy.log")));
                    }
                    try (Socket ignored = new Socket("127.0.0.1", lbPort)) {
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** Waits until the load balancer sends requests to every replica again (its health checks passed). */
    public void awaitBalanced() {
        Awaitility.await("every replica to be in the load balancer's rotation")
                .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (ServerProcess server : servers) {
                        if (server == null
                                || server.api()
                                                .get("/actuator/health/readiness")
                                                .status()
                                        != 200) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** The load balancer's URL: every replica's public URL. */
    public String url() {
        return "http://127.0.0.1:" + lbPort;
    }

    /** A client of the load balancer. */
    public Api api() {
        return Api.at(lbPort);
    }

    public int count() {
        return servers.length;
    }

    /** A client of replica {@code index} itself, past the load balancer. */
    public Api replica(int index) {
        return Api.at(ports.get(index));
    }

    /** SIGKILL of replica {@code index}, as a crash or the OOM killer does it. */
    public void kill(int index) {
        servers[index].kill();
    }

    /** Starts replica {@code index} again on its port (after {@link #kill}); answers when it is ready. */
    public void restart(int index) {
        servers[index] = startReplica(index);
    }

    /** CPU seconds the replicas' processes have used so far (all their threads, user and system). */
    public double replicaCpuSeconds() {
        double seconds = 0;
        for (ServerProcess server : servers) {
            seconds += cpuSeconds(server.pid());
        }
        return seconds;
    }

    /** CPU seconds HAProxy has used so far. */
    public double balancerCpuSeconds() {
        return cpuSeconds(haproxy.pid());
    }

    private static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid)
                        .flatMap(process -> process.info().totalCpuDuration())
                        .orElseThrow(() -> new AssertionError("no CPU time of process " + pid))
                        .toNanos()
                / 1e9;
    }

    /** The JDBC URL of the replicas' database (user {@link PostgresServer#SUPERUSER}, no password). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public S3Server s3() {
        return s3;
    }

    @Override
    public void close() {
        for (ServerProcess server : servers) {
            if (server != null) {
                server.close();
            }
        }
        if (haproxy != null) {
            haproxy.destroy();
            try {
                haproxy.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            haproxy.destroyForcibly();
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception ignored) {
                // the others still close
            }
        }
    }
}
