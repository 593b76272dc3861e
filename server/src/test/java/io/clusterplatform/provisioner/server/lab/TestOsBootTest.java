package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.QemuHost;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.TestOs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The test node OS boots under qemu (direct kernel boot, software emulation), fetches a
 * postbootscript in the seed's style from a server on this machine's loopback, runs it, and so
 * registers itself as a localnode. The time from starting qemu to the registration is printed: the
 * "direct boot" reference for the PXE benchmarks.
 */
class TestOsBootTest {
    private static final String ARTIFACT_ID = "lab.test";

    /**
     * The seed's "Create Postbootscript" text, pointed at {@code server} and {@link #ARTIFACT_ID}, with
     * one fix: the seed's {@code ([0-9]*.){3}[0-9]*} also matches letters, so on {@code inet 10.0.2.15}
     * its second grep answers "ine" (GNU grep as well as busybox) and the server refuses that ip; here the
     * dots are escaped and the digits required.
     */
    private static String seedStylePostbootscript(String server) {
        return "#!/bin/bash\n"
                + "sudo dnf install openssh-server -y\n"
                + "mkdir -p ~/.ssh\n"
                + "systemctl enable sshd\n"
                + "ip=$(echo $(ip -4 addr show | grep -Eo \"inet (addr:)?([0-9]+\\.){3}[0-9]+\""
                + " | grep -Eo \"([0-9]+\\.){3}[0-9]+\" | grep -v \"127.0.0.1\") | cut -d \" \" -f 1)\n"
                + "curl --request POST \"" + server + "/api/localnodes?ip=${ip}&artifactId=" + ARTIFACT_ID
                + "&pingable=true\"\n";
    }

    private static Optional<JsonNode> registered(Api api) {
        JsonNode rows = api.asOperator()
                .get("/api/localnodes?search=" + ARTIFACT_ID + "&searchFields=artifactId")
                .json()
                .get("rows");
        for (JsonNode row : rows) {
            if (ARTIFACT_ID.equals(row.get("artifactId").asText())) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    @Test
    void bootsRunsTheSeedsPostbootscriptAndRegistersItself() {
        try (StandaloneServer server = StandaloneServer.startFresh("--server.address=127.0.0.1")) {
            Api api = server.api();
            String fromGuest = "http://" + QemuHost.HOST_LOOPBACK + ":" + server.port();
            String body = new ObjectMapper()
                    .createObjectNode()
                    .put("text", seedStylePostbootscript(fromGuest))
                    .toString();
            long id = api.asOperator()
                    .post("/api/postbootscripts", body)
                    .json()
                    .get("id")
                    .asLong();
            // Built (or found) before the clock starts: the measurement is the boot alone.
            Path initramfs = TestOs.initramfs();
            assertThat(initramfs).isRegularFile();

            long started = System.nanoTime();
            try (QemuHost host = TestOs.boot(fromGuest + "/api/postbootscripts/" + id, null, true)) {
                JsonNode node;
                try {
                    node = await().atMost(Timeouts.scaled(Duration.ofMinutes(3)))
                            .pollInterval(Duration.ofMillis(100))
                            .until(
                                    () -> {
                                        Optional<JsonNode> found = registered(api);
                                        if (found.isEmpty() && !host.isRunning()) {
                                            throw new AssertionError(
                                                    "the test OS stopped without registering; " + host.output());
                                        }
                                        return found;
                                    },
                                    Optional::isPresent)
                            .orElseThrow();
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("the test OS did not register; " + host.output(), e);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf(
                        "TestOs direct boot: qemu start to localnode registration in %.1f s%n",
                        took.toMillis() / 1000.0);

                assertThat(node.get("ip").asText()).as(host.output()).isEqualTo(TestOs.GUEST_IP);
                assertThat(node.get("pingable").asBoolean()).isTrue();
                host.awaitPowerOff(Duration.ofMinutes(1));
                assertThat(host.output()).contains("testos: skipping dnf install openssh-server -y");
            }
        }
    }
}
