package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Browser;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard's node and distributor pages against real parts, in a {@link Lab}: the server in the
 * router namespace (the browser reaches it through the lab's relay), the real distributor agent in
 * the distributor namespace with the lab's liveness thresholds (checks every 2 s, yellow after 6 s,
 * red after 12 s), and a real SSH node: Debian's dropbear in a namespace of its own on the LAN, with
 * the site's key authorized for root (its home is a directory of the lab, bind-mounted over /root
 * inside the mount namespace {@code ip netns exec} makes, so this machine's /root is not touched).
 * The node is made unreachable for real by taking its interface down; the browser watches its badge
 * change without reloading. A script runs through the agent over SSH and its output appears on the
 * run's page. The PXE switch on the distributor's page is carried out by the agent, whose dnsmasq
 * really starts and stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardLabTest {
    private static final Duration LIVENESS = Duration.ofSeconds(60);

    private static PxeSite site;
    private static Browser browser;
    private static String base;
    private static String nodeNamespace;
    private static long nodeId;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure(() -> browser);

    @BeforeAll
    static void lab() {
        site = PxeSite.start();
        try {
            site.startAgent();
            SshNode node = SshNode.start(site, "uinode", 10);
            nodeNamespace = node.namespace();
            nodeId = node.id();
            base = "http://127.0.0.1:" + site.lab.serverApiPort();
            browser = Browser.start();
            browser.logIn(base, ServerIntegrationTest.OPERATOR_TOKEN);
        } catch (RuntimeException | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() {
        try {
            if (browser != null) {
                browser.close();
                browser = null;
            }
        } finally {
            if (site != null) {
                site.close();
                site = null;
            }
        }
    }

    @Test
    @Order(1)
    void aNodesColourChangesOnTheListWithoutAReload() {
        browser.open(base + "/ui/nodes?artifactId=" + PxeSite.ARTIFACT_ID);
        By badge = By.cssSelector("tr[data-node-id='" + nodeId + "'] .health");
        awaitBadge(badge, "green");
        browser.screenshotBothWidths("lab-nodes-green");
        ((JavascriptExecutor) browser.driver()).executeScript("window.notReloaded = true;");

        down();
        try {
            browser.until(d -> d.findElement(badge).getText().matches("yellow|red"), LIVENESS.plusSeconds(30));
            awaitBadge(badge, "red");
            String reason = browser.until(d -> d.findElement(badge).getAttribute("title"));
            assertThat(reason).contains("unreachable");
            assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.notReloaded === true;"))
                    .as("the colour changed without a reload")
                    .isEqualTo(true);
            browser.screenshotBothWidths("lab-nodes-red");
        } finally {
            up();
        }
        awaitBadge(badge, "green");
        assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.notReloaded === true;"))
                .isEqualTo(true);
    }

    @Test
    @Order(2)
    void aScriptRunsOnTheNodeAndItsOutputAppearsAsItArrives() {
        awaitApiHealth("green");
        browser.open(base + "/ui/nodes/" + nodeId);
        assertThat(browser.waitFor(By.id("node-health")).getText()).isEqualTo("green");
        assertThat(browser.find(By.id("timeline")).getText()).contains("registered", "unreachable", "reachable");
        browser.screenshotBothWidths("lab-node-page");

        runScript("echo hello-from-the-dashboard; uname -s");
        String status = browser.until(
                d -> {
                    String shown = d.findElement(By.id("run-status")).getText();
                    return shown.equals("queued") || shown.equals("running") ? null : shown;
                },
                Duration.ofSeconds(90));
        assertThat(status).as(browser.find(By.id("run-output")).getText()).isEqualTo("done");
        assertThat(browser.find(By.id("run-stdout")).getText()).isEqualTo("hello-from-the-dashboard\nLinux");
        assertThat(browser.find(By.id("run-exit")).getText()).isEqualTo("exit code 0");
        assertThat(browser.find(By.id("run-output")).getAttribute("data-live"))
                .as("the output stops being live once the run ended")
                .isNull();
        browser.screenshotBothWidths("lab-run");

        browser.open(base + "/ui/nodes/" + nodeId);
        runScript("echo first-line; sleep 6; echo second-line >&2; exit 3");
        browser.until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("run-stdout"), "first-line"),
                Duration.ofSeconds(60));
        assertThat(browser.find(By.id("run-status")).getText())
                .as("the first line shows while the script still runs")
                .isEqualTo("running");
        assertThat(browser.findAll(By.id("run-stderr"))).isEmpty();
        browser.until(ExpectedConditions.textToBe(By.id("run-status"), "done"), Duration.ofSeconds(60));
        assertThat(browser.find(By.id("run-stderr")).getText()).isEqualTo("second-line");
        assertThat(browser.find(By.id("run-exit")).getText()).isEqualTo("exit code 3");
    }

    @Test
    @Order(3)
    void thePxeSwitchIsCarriedOutByTheAgent() throws IOException {
        String bios = putAsset("ui-lab-ipxe.kpxe");
        String uefi = putAsset("ui-lab-ipxe.efi");
        JsonNode update =
                site.awaitCommand(site.update(site.lab.distributorInterface(), site.lab.routerAddress(), bios, uefi));
        assertThat(update.get("status").asText()).as(update.toString()).isEqualTo("done");

        browser.open(base + "/ui/distributors");
        assertThat(browser.waitFor(By.cssSelector("tr[data-distributor-id='" + site.distributorId + "']"))
                        .getText())
                .contains("online", "lab-distributor", PxeSite.ARTIFACT_ID, "never set");
        browser.screenshotBothWidths("lab-distributors");

        browser.open(base + "/ui/distributors/" + site.distributorId);
        assertThat(browser.waitFor(By.id("bootloaders")).getText())
                .contains("bios/ui-lab-ipxe.kpxe", "uefi/ui-lab-ipxe.efi", bios);
        assertThat(browser.find(By.id("dnsmasq-config")).getText())
                .contains("dhcp-range=" + site.lab.routerAddress() + ",proxy")
                .contains("interface=" + site.lab.distributorInterface());

        switchPxe("Turn PXE on", false);
        assertThat(dnsmasqRunning()).as("the agent started dnsmasq").isTrue();
        browser.screenshotBothWidths("lab-distributor-on");

        switchPxe("Turn PXE off", true);
        assertThat(browser.find(By.cssSelector("#commands tbody tr:first-child"))
                        .getText())
                .contains("PXE off", "dnsmasq stopped");
        assertThat(dnsmasqRunning()).as("the agent stopped dnsmasq").isFalse();

        switchPxe("Turn PXE on", false);
        assertThat(dnsmasqRunning()).isTrue();
        assertThat(browser.find(By.id("pxe-requested")).getText()).isEqualTo("on");
        browser.screenshotBothWidths("lab-distributor");
    }

    /** Clicks the switch, accepts its question if it asks one, and waits until the agent acknowledged it. */
    private static void switchPxe(String label, boolean asks) {
        assertThat(browser.waitFor(By.id("pxe-toggle")).getText()).isEqualTo(label);
        browser.find(By.id("pxe-toggle")).click();
        if (asks) {
            browser.until(ExpectedConditions.alertIsPresent()).accept();
        }
        String notice = browser.waitFor(By.cssSelector("[role=status]")).getText();
        Matcher id = Pattern.compile("Command (\\d+) queued").matcher(notice);
        assertThat(id.find()).as(notice).isTrue();
        By state = By.cssSelector("tr[data-command-id='" + id.group(1) + "'] .command-status");
        browser.until(ExpectedConditions.textToBe(state, "done"), Duration.ofSeconds(60));
    }

    private static boolean dnsmasqRunning() {
        try {
            Path pidFile = site.agentStateDir().resolve("dnsmasq.pid");
            if (!Files.exists(pidFile)) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(site.dnsmasqPid());
            return process.map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void runScript(String script) {
        browser.waitFor(By.id("script")).sendKeys(script);
        browser.find(By.cssSelector("#run-form button[type=submit]")).click();
        browser.until(d -> d.getCurrentUrl().matches(".*/ui/nodes/" + nodeId + "/runs/\\d+$"));
        assertThat(browser.waitFor(By.id("run-script")).getText()).isEqualTo(script);
    }

    private static void awaitBadge(By badge, String colour) {
        try {
            browser.until(ExpectedConditions.textToBe(badge, colour), LIVENESS);
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "the badge did not turn " + colour + "; node: " + site.api().get("/api/localnodes/" + nodeId)
                            + "\nagent: " + site.agent().output(),
                    e);
        }
    }

    private static void awaitApiHealth(String colour) {
        org.awaitility.Awaitility.await("node " + nodeId + " to be " + colour)
                .atMost(LIVENESS)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> colour.equals(site.api()
                        .get("/api/localnodes/" + nodeId)
                        .json()
                        .path("health")
                        .asText()));
    }

    private static void down() {
        exec(nodeNamespace, "ip", "link", "set", "eth0", "down");
    }

    private static void up() {
        exec(nodeNamespace, "ip", "link", "set", "eth0", "up");
    }

    private static void exec(String namespace, String... command) {
        Shell.Result result = site.lab.exec(namespace, command);
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    }

    private static String putAsset(String name) {
        Api.Response put = site.api()
                .send(site.api()
                        .builder("/api/assets/" + name)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofString("not a real bootloader: " + name)));
        assertThat(put.status()).as(put.toString()).isIn(200, 201);
        return site.serverUrl + "/assets/" + name;
    }
}
