package io.clusterplatform.provisioner.server.lab.storm;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * nginx serving a directory as it is, and answering {@code POST /api/localnodes} with a bare 201: the
 * HTTP half of a boot storm's reference (the most a web server does for these requests with nothing to
 * look up or record). Workers as many as cores, sendfile, long keep-alive, an access log as any site
 * keeps. Needs Debian's {@code nginx-light} (or {@code nginx}) package.
 */
public final class ReferenceNginx {
    private ReferenceNginx() {}

    /** Runs nginx in {@code namespace} on {@code port}, serving {@code dir}/root; returns once it listens. */
    public static Lab.Daemon start(Lab lab, String namespace, Path dir, int port) {
        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) {
            throw new AssertionError("nginx is missing: install the nginx-light package");
        }
        Path pid = dir.resolve("nginx.pid");
        String conf = "daemon off;\n"
                + "worker_processes auto;\n"
                + "pid " + pid + ";\n"
                + "error_log " + dir.resolve("nginx-error.log") + " warn;\n"
                + "events { worker_connections 8192; }\n"
                + "http {\n"
                + "  access_log " + dir.resolve("nginx-access.log") + ";\n"
                + "  client_body_temp_path " + dir.resolve("tmp-body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("tmp-proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("tmp-fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("tmp-uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("tmp-scgi") + ";\n"
                + "  sendfile on;\n"
                + "  tcp_nopush on;\n"
                + "  keepalive_timeout 65s;\n"
                + "  keepalive_requests 10000;\n"
                + "  default_type text/plain;\n"
                + "  server {\n"
                + "    listen " + port + ";\n"
                + "    root " + dir.resolve("root") + ";\n"
                + "    location /assets/ { default_type application/octet-stream; }\n"
                + "    location /api/localnodes { return 201; }\n"
                + "  }\n"
                + "}\n";
        Path file = dir.resolve("nginx.conf");
        try {
            Files.createDirectories(dir.resolve("root"));
            Files.writeString(file, conf);
            Files.deleteIfExists(pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lab.Daemon daemon = lab.startProcess(
                namespace,
                "nginx",
                List.of(
                        nginx.toString(),
                        "-p",
                        dir.toString(),
                        "-e",
                        dir.resolve("nginx-error.log").toString(),
                        "-c",
                        file.toString()));
        Awaitility.await("nginx to listen")
                .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!daemon.isAlive()) {
                        throw new AssertionError(
                                "nginx exited: " + daemon.output() + read(dir.resolve("nginx-error.log")));
                    }
                    return Files.exists(pid);
                });
        return daemon;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
