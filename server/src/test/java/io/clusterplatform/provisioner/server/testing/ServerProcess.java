package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.ServerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The real server in a process of its own (same classpath as the tests), for tests that kill it with
 * SIGKILL the way a crash or an OOM killer would. Its output goes to {@code server-<port>.log} in the
 * data directory.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ServerProcess start(Path dataDir, String... extraArgs) {
        return startOn(freePort(), dataDir, extraArgs);
    }

    /** Like {@link #start}, on a given port: to restart a server where its clients expect it. */
    public static ServerProcess startOn(int port, Path dataDir, String... extraArgs) {
        return start(List.of(), port, "127.0.0.1", port, dataDir, extraArgs);
    }

    /**
     * The server on {@code lab}'s router at {@link Lab#SERVER_PORT}, reached by the tests at {@link
     * Lab#serverApiPort()} and by the lab's hosts at {@link Lab#serverUrl()} (its public URL).
     */
    public static ServerProcess startOnRouter(Lab lab, Path dataDir) {
        return startIn(
                lab.routerNamespace(),
                Lab.SERVER_PORT,
                lab.serverApiPort(),
                dataDir,
                "--provisioner.public-url=" + lab.serverUrl());
    }

    /**
     * The server in network namespace {@code namespace} of a {@link Lab}, listening on all its addresses
     * at {@code port}; the tests reach it at {@code apiPort} of this machine's loopback (see {@link
     * Lab#serverApiPort()}).
     */
    public static ServerProcess startIn(String namespace, int port, int apiPort, Path dataDir, String... extraArgs) {
        return start(
                List.of(Lab.program("ip", "iproute2"), "netns", "exec", namespace),
                port,
                "0.0.0.0",
                apiPort,
                dataDir,
                extraArgs);
    }

    private static ServerProcess start(
            List<String> prefix, int port, String address, int apiPort, Path dataDir, String... extraArgs) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
        // -Dbenchmark.jfr=DIR: a benchmark's server records a JFR profile into DIR (docs/BENCHMARKS.md).
        String jfr = System.getProperty("benchmark.jfr");
        if (jfr != null && !jfr.isBlank()) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of(jfr).toAbsolutePath().resolve("server-" + apiPort + ".jfr"));
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                ServerApplication.class.getName(),
                "--server.port=" + port,
                "--server.address=" + address,
                "--provisioner.data-dir=" + dataDir,
                "--provisioner.bootstrap-token=" + ServerIntegrationTest.OPERATOR_TOKEN));
        command.addAll(List.of(extraArgs));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dataDir.resolve("server-" + apiPort + ".log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            ServerProcess server = new ServerProcess(process, apiPort);
            Awaitility.await("the server on apiPort " + apiPort + " to answer")
                    .atMost(Timeouts.startup())
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("the server process exited with " + process.exitValue() + "; see "
                                    + dataDir.resolve("server-" + apiPort + ".log"));
                        }
                        try {
                            return server.api().get("/actuator/health").status() == 200;
                        } catch (UncheckedIOException notYet) {
                            return false;
                        }
                    });
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Api api() {
        return Api.at(port);
    }

    /** The server's process id (for jcmd and the like; with {@link #startIn} it is {@code ip netns exec}'s, which execs java). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, exactly like a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
