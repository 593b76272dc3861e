package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.QemuHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Localnodes one can see and use, in the PXE lab: a BIOS host boots the test OS through the
 * distributor, which starts dropbear with the site's public key; scripts run on it over SSH through the
 * distributor; its liveness follows it when it is switched off and on again (a new boot brings a new
 * host key, which is refused until forgotten); its timeline tells the whole story.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PxeSite site;
    private static Lab.Host host;
    private static long nodeId;

    @BeforeAll
    static void site() throws Exception {
        site = PxeSite.start();
        long publicKey = site.storeKeyPair();
        site.prepareBootChain(false, publicKey);
        site.startAgent();
        site.servePxe();
        host = site.lab.bootHost(QemuHost.Firmware.BIOS);
        nodeId = awaitNode(host).get("id").asLong();
    }

    @AfterAll
    static void tearDown() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    @Order(1)
    void scriptsRunOnTheNodeOverSshThroughTheDistributor() {
        JsonNode ok = awaitRun(runScript("uname -a; id -u"));
        JsonNode failing =
                awaitRun(runScript("printf '%s\\n' \"it's \\\"quoted\\\"\" '$HOME stays'; echo oops >&2; exit 3"));

        assertThat(ok.get("status").asText()).as(ok.toString()).isEqualTo("done");
        assertThat(ok.get("exitCode").asInt()).isZero();
        assertThat(ok.get("stdout").asText()).startsWith("Linux testos ").endsWith("\n0\n");
        assertThat(failing.get("status").asText()).as(failing.toString()).isEqualTo("done");
        assertThat(failing.get("exitCode").asInt()).isEqualTo(3);
        assertThat(failing.get("stdout").asText()).isEqualTo("it's \"quoted\"\n$HOME stays\n");
        assertThat(failing.get("stderr").asText()).isEqualTo("oops\n");
        assertThat(site.api()
                        .get("/api/localnodes/" + nodeId + "/hostkey")
                        .json()
                        .get("hostKey")
                        .asText())
                .as("the key dropbear presented, pinned on first use")
                .matches("(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) AAAA\\S+");
        awaitHealth("green");
    }

    @Test
    @Order(2)
    void livenessFollowsTheHostAndANewHostKeyIsRefusedUntilForgotten() {
        host.close();
        long off = System.nanoTime();
        awaitHealth("yellow");
        double yellow = seconds(off);
        awaitHealth("red");
        System.out.printf("liveness: yellow %.1f s and red %.1f s after power-off%n", yellow, seconds(off));
        assertThat(node().get("pingable").asBoolean()).isFalse();

        host = site.lab.bootHost(QemuHost.Firmware.BIOS, host.mac());
        awaitHealth("green");
        // iPXE answers pings while the host boots: wait for its SSH server before running scripts.
        awaitSsh();
        JsonNode refused = awaitRun(runScript("id -u"));
        assertThat(refused.get("status").asText()).as(refused.toString()).isEqualTo("failed");
        assertThat(refused.get("error").asText()).contains("host key").contains("changed");

        assertThat(site.api().delete("/api/localnodes/" + nodeId + "/hostkey").status())
                .isEqualTo(204);
        JsonNode again = awaitRun(runScript("id -u"));
        assertThat(again.get("exitCode").asInt()).as(again.toString()).isZero();
    }

    @Test
    @Order(3)
    void theTimelineTellsTheHostsStoryInOrder() {
        JsonNode timeline =
                site.api().get("/api/localnodes/" + nodeId + "/timeline").json();
        List<String> summaries = new ArrayList<>();
        timeline.get("entries")
                .forEach(e -> summaries.add(
                        e.get("kind").asText() + " " + e.get("summary").asText()));
        String story = String.join("\n", summaries);

        assertThat(story)
                .as(story)
                .contains("dhcp")
                .contains("/api/mainscripts/")
                .contains("/api/subscripts/")
                .contains("/assets/lab-vmlinuz")
                .contains("/api/postbootscripts/")
                .contains("registered")
                .contains("unreachable")
                .contains("script");
        List<String> times = new ArrayList<>();
        timeline.get("entries").forEach(e -> times.add(e.get("at").asText()));
        assertThat(times).isSorted();
    }

    private static long runScript(String script) {
        Api.Response queued = site.api()
                .put(
                        "/api/localnodes/" + nodeId + "/script",
                        JSON.createObjectNode().put("script", script).toString());
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        return queued.json().get("id").asLong();
    }

    private static JsonNode awaitRun(long runId) {
        AtomicReference<JsonNode> run = new AtomicReference<>();
        Awaitility.await("script run " + runId + " to end")
                .atMost(Timeouts.scaled(Duration.ofMinutes(2)))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    run.set(site.api().get("/api/scriptruns/" + runId).json());
                    return run.get().get("status").asText().matches("done|failed");
                });
        return run.get();
    }

    private static void awaitSsh() {
        try {
            Awaitility.await("node " + nodeId + " to answer on its SSH port")
                    .atMost(Timeouts.scaled(Duration.ofMinutes(4)))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> node().path("sshOpen").asBoolean(false));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "node " + node() + "\nconsole: " + host.qemu().output(), e);
        }
    }

    private static JsonNode node() {
        return site.api().get("/api/localnodes/" + nodeId).json();
    }

    private static void awaitHealth(String colour) {
        try {
            Awaitility.await("node " + nodeId + " to turn " + colour)
                    .atMost(Timeouts.scaled(Duration.ofMinutes(4)))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> colour.equals(node().path("health").asText()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "node " + node() + "\nconsole: " + host.qemu().output() + "\nagent: "
                            + site.agent().output(),
                    e);
        }
    }

    private static JsonNode awaitNode(Lab.Host host) {
        AtomicReference<JsonNode> node = new AtomicReference<>();
        try {
            Awaitility.await("host " + host.mac() + " to register")
                    .atMost(Timeouts.scaled(Duration.ofMinutes(5)))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        Optional<JsonNode> found =
                                site.lab.leasedAddress(host.mac()).flatMap(site::localnode);
                        found.ifPresent(node::set);
                        return found.isPresent();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "console: " + host.qemu().output() + "\nagent: "
                            + site.agent().output(),
                    e);
        }
        return node.get();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
