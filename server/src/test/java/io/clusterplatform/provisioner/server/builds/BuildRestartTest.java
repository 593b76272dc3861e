package io.clusterplatform.provisioner.server.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.bootloaders.TestBootloaders;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Builds in flight when the server is killed with SIGKILL finish after it starts again, each exactly
 * once: the worker that died held a lease; when it runs out, the new server takes the job up again.
 */
class BuildRestartTest {
    /** The fragment server stands for a remote one on loopback: the operator's setting lets builds fetch there. */
    private static final String[] SETTINGS = {
        "--provisioner.jobs.lease=3s", "--provisioner.jobs.workers=1", "--provisioner.fetch.allow-local-addresses=true"
    };

    /**
     * Serves the iPXE EFI binary as an ISO input, but holds every download until released: the first
     * server is killed while its worker is certainly in the middle of a build.
     */
    private static HttpServer slowFragmentServer(CountDownLatch release, AtomicInteger requests) throws Exception {
        byte[] efi = Files.readAllBytes(TestBootloaders.systemSource().ipxe(IpxeTarget.X86_64_EFI));
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/ipxe.efi", exchange -> {
            requests.incrementAndGet();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, efi.length);
            try (var body = exchange.getResponseBody()) {
                body.write(efi);
            } catch (java.io.IOException gone) {
                // The killed server's connection is gone.
            }
            exchange.close();
        });
        http.start();
        return http;
    }

    @Test
    void buildsInFlightWhenTheServerIsKilledFinishExactlyOnceAfterARestart() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        HttpServer fragments = slowFragmentServer(release, requests);
        String efiUrl = "http://127.0.0.1:" + fragments.getAddress().getPort() + "/ipxe.efi";
        try (ThrowawayDirectory data = ThrowawayDirectory.create("provisioner-restart-")) {
            List<Long> ids = new ArrayList<>();
            try (ServerProcess first = ServerProcess.start(data.path(), SETTINGS)) {
                Api api = first.api();
                for (int i = 0; i < 4; i++) {
                    ids.add(Builds.queue(
                                    api,
                                    "isos",
                                    Map.of("label", "RESTART " + i, "script", "#!ipxe", "ipxeUefiUrl", efiUrl))
                            .get("id")
                            .asLong());
                }
                Awaitility.await("a build to be downloading its input")
                        .atMost(Timeouts.scaled(Duration.ofMinutes(1)))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> requests.get() > 0);
                assertThat(api.asOperator()
                                .get("/api/isos/" + ids.get(0))
                                .json()
                                .get("status")
                                .asText())
                        .isEqualTo("working");
                first.kill();
            } finally {
                release.countDown();
            }
            try (ServerProcess second = ServerProcess.start(data.path(), SETTINGS)) {
                Api api = second.api();
                int restarted = 0;
                for (long id : ids) {
                    JsonNode done = Builds.awaitDone(api, "isos", id);
                    List<String> transitions = Builds.transitions(api, done);
                    assertThat(transitions).as("iso %s: %s", id, transitions).containsOnlyOnce("done");
                    if (transitions.stream().filter("working"::equals).count() > 1) {
                        restarted++;
                    }
                    JsonNode iso = Builds.file(done, "dist.iso");
                    HttpResponse<byte[]> bytes = api.send(
                            api.builder(iso.get("url").asText().replaceFirst("^http://[^/]+", ""))
                                    .GET(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(HexFormat.of()
                                    .formatHex(
                                            MessageDigest.getInstance("SHA-256").digest(bytes.body())))
                            .isEqualTo(iso.get("sha256").asText());
                }
                assertThat(restarted)
                        .as("builds the killed server was working on, taken up again")
                        .isEqualTo(1);
            }
        } finally {
            fragments.stop(0);
        }
    }
}
