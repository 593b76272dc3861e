package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.QemuHost;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.TestOs;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The test node OS boots under qemu (direct kernel boot, software emulation), fetches a
 * postbootscript in the original API's style from a server on this machine's loopback, runs it, and so
 * registers itself as a localnode. The time from starting qemu to the registration is printed: the
 * "direct boot" reference for the PXE benchmarks.
 */
class TestOsBootTest {
    private static final String ARTIFACT_ID = "lab.test";

    /**
     * The original API's "Create Postbootscript" text, pointed at {@code server} and {@link #ARTIFACT_ID}, with
     * one fix: the original API's {@code ([0-9]*.){3}[0-9]*} also matches letters, so on {@code inet 10.0.2.15}
     * its second grep answers "ine" (GNU grep as well as busybox) and the server refuses that ip; here the
     * dots are escaped and the digits required.
     */
    private static String originalStylePostbootscript(String server) {
        return "#!/bin/bash\n"
                + "sudo dnf install openssh-server -y\n"
                + "mkdir -p ~/.ssh\n"
                + "systemctl enable sshd\n"
                + "ip=$(echo $(ip -4 addr show | grep -Eo \"inet (addr:)?([0-9]+\\.){3}[0-9]+\""
                + " | grep -Eo \"([0-9]+\\.){3}[0-9]+\" | grep -v \"127.0.0.1\") | cut -d \" \" -f 1)\n"
                + "curl --request POST \"" + server + "/api/localnodes?ip=${ip}&artifactId=" + ARTIFACT_ID
                + "&pingable=true\"\n";
    }

    private static long createPostbootscript(Api api, String fromGuest) {
        String body = new ObjectMapper()
                .createObjectNode()
                .put("text", originalStylePostbootscript(fromGuest))
                .toString();
        return api.asOperator()
                .post("/api/postbootscripts", body)
                .json()
                .get("id")
                .asLong();
    }

    /** Waits for the node's registration; fails at once with the guest's console if qemu stops first. */
    private static JsonNode awaitRegistration(Api api, QemuHost host) {
        try {
            return await().atMost(Timeouts.scaled(Duration.ofMinutes(3)))
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
    void bootsRunsTheOriginalsPostbootscriptAndRegistersItself() {
        try (StandaloneServer server = StandaloneServer.startFresh("--server.address=127.0.0.1")) {
            Api api = server.api();
            String fromGuest = "http://" + QemuHost.HOST_LOOPBACK + ":" + server.port();
            long id = createPostbootscript(api, fromGuest);
            // Built (or found) before the clock starts: the measurement is the boot alone.
            Path initramfs = TestOs.initramfs();
            assertThat(initramfs).isRegularFile();

            long started = System.nanoTime();
            try (QemuHost host = TestOs.boot(fromGuest + "/api/postbootscripts/" + id, null, true)) {
                JsonNode node = awaitRegistration(api, host);
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

    @Test
    void authorizesTheSshKeyForRootAndStaysUp() throws IOException {
        try (StandaloneServer server = StandaloneServer.startFresh("--server.address=127.0.0.1");
                ThrowawayDirectory keys = ThrowawayDirectory.create("provisioner-testos-ssh-")) {
            Api api = server.api();
            String fromGuest = "http://" + QemuHost.HOST_LOOPBACK + ":" + server.port();
            Path key = keys.path().resolve("id_ed25519");
            Shell.Result keygen = Shell.run(
                    List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()), Timeouts.process());
            assertThat(keygen.exitCode()).as(keygen.stderr()).isZero();
            String body = new ObjectMapper()
                    .createObjectNode()
                    .put("text", Files.readString(Path.of(key + ".pub")))
                    .put("artifactId", ARTIFACT_ID)
                    .put("private", false)
                    .toString();
            long keyId =
                    api.asOperator().post("/api/sshkeys", body).json().get("id").asLong();
            long scriptId = createPostbootscript(api, fromGuest);
            int sshPort = freeLoopbackPort();

            try (QemuHost host = TestOs.boot(
                    fromGuest + "/api/postbootscripts/" + scriptId,
                    fromGuest + "/api/sshkeys/" + keyId,
                    false,
                    "hostfwd=tcp:127.0.0.1:" + sshPort + "-:22")) {
                awaitRegistration(api, host);
                List<String> ssh = List.of(
                        "ssh",
                        "-i",
                        key.toString(),
                        "-p",
                        String.valueOf(sshPort),
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "StrictHostKeyChecking=no",
                        "-o",
                        "UserKnownHostsFile=/dev/null",
                        "-o",
                        "ConnectTimeout=10",
                        "-o",
                        "LogLevel=ERROR",
                        "root@127.0.0.1",
                        "cat /proc/cmdline; id -u");
                Shell.Result result = await().atMost(Timeouts.scaled(Duration.ofMinutes(2)))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> Shell.run(ssh, Timeouts.process()), r -> r.exitCode() == 0 || !host.isRunning());
                assertThat(result.exitCode())
                        .as("ssh: %s %s; %s", result.stdout(), result.stderr(), host.output())
                        .isZero();
                assertThat(result.stdout()).contains("provisioner.sshkey=").endsWith("0\n");
                assertThat(host.isRunning())
                        .as("without provisioner.poweroff=1 the test OS stays up")
                        .isTrue();
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
