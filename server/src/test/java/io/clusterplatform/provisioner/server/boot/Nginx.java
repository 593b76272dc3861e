package io.clusterplatform.provisioner.server.boot;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * nginx serving a directory as static files on 127.0.0.1, as the reference of the boot path
 * benchmark: our own configuration, pid file, logs and temp paths in a work directory, {@code daemon
 * off} so that it is a child of this JVM, a master and {@link #WORKERS} worker processes (as many as
 * this machine's 2 cores; the server's Tomcat uses every core too), {@code sendfile on}, and an access
 * log written per request (the server records each boot fetch in its database). The system's nginx
 * service and its configuration are not used.
 */
final class Nginx implements AutoCloseable {
    static final int WORKERS = 2;

    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts nginx on a free loopback port, serving {@code root}; {@code work} is created and holds the rest. */
    static Nginx serve(Path root, Path work) {
        String nginx = Programs.find("nginx", "nginx (or nginx-light)");
        int port = ServerProcess.freePort();
        try {
            Files.createDirectories(work);
            // Workers run as nobody when we are root: they must be able to read the files.
            readableByAll(root);
            String conf = """
                    daemon off;
                    master_process on;
                    worker_processes %d;
                    pid %s/nginx.pid;
                    error_log %s/error.log warn;
                    events { worker_connections 4096; }
                    http {
                        default_type text/plain;
                        access_log %s/access.log;
                        sendfile on;
                        tcp_nopush on;
                        keepalive_timeout 65s;
                        client_body_temp_path %s/body;
                        proxy_temp_path %s/proxy;
                        fastcgi_temp_path %s/fastcgi;
                        server {
                            listen 127.0.0.1:%d;
                            root %s;
                            location / { }
                        }
                    }
                    """.formatted(WORKERS, work, work, work, work, work, work, port, root);
            Files.writeString(work.resolve("nginx.conf"), conf);
            Process process = new ProcessBuilder(
                            nginx,
                            "-p",
                            work.toString(),
                            "-e",
                            work.resolve("error.log").toString(),
                            "-c",
                            work.resolve("nginx.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("nginx.out").toFile())
                    .start();
            Nginx started = new Nginx(process, port);
            try {
                Awaitility.await("nginx to listen on 127.0.0.1:" + port)
                        .atMost(Timeouts.startup())
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            if (!process.isAlive()) {
                                throw new AssertionError("nginx exited with " + process.exitValue() + ": "
                                        + Files.readString(work.resolve("nginx.out"))
                                        + tail(work.resolve("error.log")));
                            }
                            return accepts(port) && process.descendants().count() >= WORKERS;
                        });
            } catch (RuntimeException | Error e) {
                started.close();
                throw e;
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx: " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    /** The master's process id; its workers are its children. */
    ProcessHandle master() {
        return process.toHandle();
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
        try {
            if (!process.waitFor(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void readableByAll(Path root) throws IOException {
        for (Path p = root; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            if (p.startsWith(Path.of(System.getProperty("java.io.tmpdir")))
                    && !p.equals(Path.of(System.getProperty("java.io.tmpdir")))) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(
                        p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static String tail(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
