package io.clusterplatform.provisioner.server.mesh;

import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.createNetwork;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.join;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.joinNew;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.networkId;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.publicKey;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.mesh.MeshFixtures.Joined;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Browser;
import io.clusterplatform.provisioner.server.testing.DashboardBrowserTest;
import io.clusterplatform.provisioner.server.testing.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The mesh pages: networks, join tokens (shown once, revoked), nodes (live), removal, kubeconfig. */
class MeshPagesTest extends DashboardBrowserTest {
    private static final Duration LIVE = Duration.ofSeconds(15);

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    private void submit(String formId) {
        browser.find(By.cssSelector("#" + formId + " button[type=submit]")).click();
    }

    /** Clicks an element of a live part, again if the part was replaced under the click. */
    private void clickLive(By by) {
        browser.until(driver -> {
            try {
                driver.findElement(by).click();
                return true;
            } catch (StaleElementReferenceException replaced) {
                return false;
            }
        });
    }

    /** The text of an element of a live part, read again if the part was replaced meanwhile. */
    private String liveText(By by) {
        return browser.until(driver -> {
            try {
                return driver.findElement(by).getText();
            } catch (StaleElementReferenceException replaced) {
                return null;
            }
        });
    }

    private void acceptConfirm() {
        browser.until(ExpectedConditions.alertIsPresent()).accept();
    }

    private String notice() {
        return browser.waitFor(By.cssSelector("main .notice")).getText();
    }

    /** A phone-width screenshot scrolled to an element further down than the first screen. */
    private void screenshotAtPhoneWidthFrom(String elementId, String name) {
        browser.resize(Browser.PHONE);
        try {
            ((JavascriptExecutor) browser.driver())
                    .executeScript("document.getElementById(arguments[0]).scrollIntoView();", elementId);
            browser.screenshot(name);
        } finally {
            browser.resize(Browser.DESKTOP);
        }
    }

    private String networkPath(String networkId) {
        return "/ui/mesh/" + networkId;
    }

    @Test
    void createsANetworkThroughTheFormWithTheServersErrorsNextToTheFields() {
        page("/ui/mesh");
        String networkId = networkId();

        type(browser.waitFor(By.id("networkId")), "Lab_1");
        submit("create-network");
        assertThat(browser.waitFor(By.id("networkId-error")).getText())
                .startsWith("'networkId' must be a DNS label")
                .contains("got 'Lab_1'");
        assertThat(browser.find(By.id("networkId")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(browser.find(By.id("networkId")).getAttribute("value")).isEqualTo("Lab_1");

        type(browser.find(By.id("networkId")), networkId);
        type(browser.find(By.id("ipv6Prefix")), "2001:db8::/48");
        submit("create-network");
        assertThat(browser.waitFor(By.id("ipv6Prefix-error")).getText())
                .startsWith("'ipv6Prefix'")
                .contains("fc00::/7");
        assertThat(browser.findAll(By.id("networkId-error"))).isEmpty();
        assertThat(browser.find(By.id("networkId")).getAttribute("value")).isEqualTo(networkId);
        browser.screenshotBothWidths("mesh-networks-error");

        String range = "10." + ThreadLocalRandom.current().nextInt(100, 250) + "."
                + ThreadLocalRandom.current().nextInt(0, 250) + ".0/24";
        type(browser.find(By.id("ipv6Prefix")), "");
        type(browser.find(By.id("ipv4Range")), range);
        submit("create-network");

        assertThat(notice()).startsWith("Mesh network " + networkId + " created with fd");
        assertThat(browser.driver().getCurrentUrl()).endsWith(networkPath(networkId));
        assertThat(browser.find(By.id("network-facts")).getText()).contains(range);
        String prefix = api.asOperator()
                .get("/api/mesh/networks/" + networkId)
                .json()
                .get("ipv6Prefix")
                .asText();
        assertThat(browser.find(By.id("network-facts")).getText()).contains(prefix);

        page("/ui/mesh");
        WebElement row = browser.waitFor(By.cssSelector("tr[data-network='" + networkId + "']"));
        assertThat(row.getText()).contains(prefix).contains("no nodes");
        browser.screenshotBothWidths("mesh-networks");
    }

    @Test
    void aRelayTokenShowsTheRelayCommandAndNoShellAgent() {
        String networkId = createNetwork(api);
        page(networkPath(networkId));
        browser.find(By.cssSelector("#role option[value=relay]")).click();
        submit("create-token");
        String token = browser.waitFor(By.id("new-token-value")).getText();
        assertThat(browser.find(By.id("join-command")).getText())
                .isEqualTo("provisioner mesh relay --server " + base() + " --token " + token
                        + " --endpoint <its public address>:<port>");
        assertThat(browser.driver().findElements(By.id("agent-command")))
                .as("the shell agent cannot relay")
                .isEmpty();
    }

    @Test
    void createAndRevokeAMeshToken() {
        String networkId = createNetwork(api);
        page(networkPath(networkId));

        browser.find(By.cssSelector("#role option[value=worker]")).click();
        type(browser.find(By.id("uses")), "2");
        type(browser.find(By.id("expiresIn")), "2h");
        type(browser.find(By.id("name")), "dashboard token");
        submit("create-token");

        String token = browser.waitFor(By.id("new-token-value")).getText();
        assertThat(token).matches("cpm_[a-z2-7]{8}_[a-z2-7]{40}");
        assertThat(notice()).contains(token.substring(0, 12)).contains("only once");
        assertThat(browser.find(By.id("join-command")).getText())
                .isEqualTo("provisioner mesh join --server " + base() + " --token " + token);
        assertThat(browser.find(By.id("agent-command")).getText())
                .startsWith("curl -s " + base() + "/mesh/agent.sh | sh -s -- --token " + token);
        assertThat(browser.find(By.cssSelector("button[data-copy=new-token-value]"))
                        .isDisplayed())
                .isTrue();
        browser.screenshotBothWidths("mesh-token-created");

        String key = publicKey();
        Api.Response joined = join(api, token, key, "ui-host-1", "203.0.113.40:51820");
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        long nodeId = joined.json().get("nodeId").asLong();
        assertThat(joined.json().get("role").asText()).isEqualTo("worker");

        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("node-" + nodeId)), LIVE);
        assertThat(browser.driver().getCurrentUrl()).endsWith(networkPath(networkId));
        assertThat(browser.find(By.id("new-token-value")).getText())
                .as("the page was not reloaded")
                .isEqualTo(token);
        String row = "#node-" + nodeId + " ";
        assertThat(liveText(By.cssSelector(row + ".node-name"))).isEqualTo("ui-host-1");
        assertThat(liveText(By.cssSelector(row + ".node-address")))
                .isEqualTo(joined.json().get("address").asText());
        assertThat(liveText(By.cssSelector(row + ".node-role"))).isEqualTo("worker");
        assertThat(liveText(By.cssSelector(row + ".node-health"))).isEqualTo("unknown");
        assertThat(liveText(By.cssSelector(row + ".node-contact"))).isEqualTo("never");
        assertThat(liveText(By.cssSelector(row + ".node-paths"))).isEqualTo("none reported");

        Api node = api.withToken(joined.json().get("nodeToken").asText());
        assertThat(node.get("/api/mesh/nodes/" + nodeId + "/peers").status()).isEqualTo(200);
        browser.until(ExpectedConditions.textToBe(By.cssSelector("#node-" + nodeId + " .node-health"), "green"), LIVE);
        assertThat(liveText(By.cssSelector(row + ".node-contact"))).endsWith(" s ago");

        page(networkPath(networkId));
        browser.waitFor(By.id("tokens"));
        assertThat(browser.driver().getPageSource()).doesNotContain(token);
        assertThat(browser.findAll(By.id("new-token"))).isEmpty();
        String prefix = token.substring(0, 12);
        WebElement tokenRow = browser.find(By.cssSelector("#tokens tr[data-prefix='" + prefix + "']"));
        assertThat(tokenRow.getText()).contains("worker").contains("1 of 2").contains("active");

        tokenRow.findElement(By.cssSelector("button[type=submit]")).click();
        acceptConfirm();

        assertThat(notice()).isEqualTo("Join token " + prefix + " revoked: it admits no more hosts.");
        assertThat(browser.find(By.cssSelector("#tokens tr[data-prefix='" + prefix + "'] .token-state"))
                        .getText())
                .isEqualTo("revoked");
        Api.Response refused = join(api, token, publicKey(), "ui-host-2", null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).startsWith("the join token " + prefix + " was revoked at");
        assertThat(api.asOperator()
                        .get("/api/mesh/networks/" + networkId + "/nodes/" + nodeId)
                        .status())
                .as("revoking alone keeps the nodes it admitted")
                .isEqualTo(200);
        browser.screenshotBothWidths("mesh-network");
    }

    @Test
    void revokingWithItsNodesRemovesWhatTheTokenAdmitted() {
        String networkId = createNetwork(api);
        String token = token(api, networkId, Map.of("uses", 3, "name", "remove with nodes"));
        Api.Response joined = join(api, token, publicKey(), "ui-admitted", null);
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        long nodeId = joined.json().get("nodeId").asLong();
        page(networkPath(networkId));

        String prefix = token.substring(0, 12);
        WebElement tokenRow = browser.waitFor(By.cssSelector("#tokens tr[data-prefix='" + prefix + "']"));
        tokenRow.findElement(By.name("removeNodes")).click();
        tokenRow.findElement(By.cssSelector("button[type=submit]")).click();
        acceptConfirm();

        assertThat(notice()).endsWith("Removed the nodes it admitted: " + nodeId + ".");
        assertThat(browser.findAll(By.id("node-" + nodeId))).isEmpty();
        assertThat(api.asOperator()
                        .get("/api/mesh/networks/" + networkId + "/nodes/" + nodeId)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aBadTokenRequestShowsTheServersMessageNextToTheField() {
        String networkId = createNetwork(api);
        page(networkPath(networkId));

        type(browser.waitFor(By.id("uses")), "0");
        submit("create-token");
        assertThat(browser.waitFor(By.id("uses-error")).getText())
                .isEqualTo("'uses' must be between 1 and 100000, got 0");
        assertThat(browser.find(By.id("uses")).getAttribute("aria-invalid")).isEqualTo("true");

        type(browser.find(By.id("uses")), "5");
        type(browser.find(By.id("expiresIn")), "forever");
        submit("create-token");
        assertThat(browser.waitFor(By.id("expiresIn-error")).getText())
                .startsWith("'expiresIn' must be a number with s, m, h or d");
        assertThat(browser.find(By.id("uses")).getAttribute("value")).isEqualTo("5");
        assertThat(browser.findAll(By.id("new-token"))).isEmpty();
        assertThat(api.asOperator()
                        .get("/api/mesh/networks/" + networkId + "/tokens")
                        .json()
                        .size())
                .as("no token was created")
                .isZero();
        browser.screenshotBothWidths("mesh-token-error");
    }

    @Test
    void removesANodeThroughThePage() {
        String networkId = createNetwork(api);
        Joined master = joinNew(api, networkId, "master", "ui-master");
        Joined worker = joinNew(api, networkId, "worker", "ui-worker");
        Api.Response report = master.api()
                .post(
                        "/api/mesh/nodes/" + master.nodeId() + "/status",
                        Json.body(Map.of(
                                "peers",
                                List.of(Map.of(
                                        "publicKey",
                                        worker.publicKey(),
                                        "lastHandshake",
                                        System.currentTimeMillis() / 1000 - 30)))));
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        page(networkPath(networkId));

        browser.waitFor(By.id("node-" + worker.nodeId()));
        assertThat(liveText(By.cssSelector("#node-" + worker.nodeId() + " .node-handshake")))
                .matches("\\d+ s ago");
        assertThat(liveText(By.cssSelector("#node-" + master.nodeId() + " .node-health")))
                .isEqualTo("green");
        browser.screenshotBothWidths("mesh-network-nodes");
        screenshotAtPhoneWidthFrom("mesh-nodes", "mesh-network-nodes-table-phone");

        clickLive(By.cssSelector("#node-" + worker.nodeId() + " button[name=nodeId]"));
        acceptConfirm();

        assertThat(notice()).startsWith("Node " + worker.nodeId() + " removed");
        assertThat(browser.findAll(By.id("node-" + worker.nodeId()))).isEmpty();
        assertThat(liveText(By.cssSelector("#node-" + master.nodeId() + " .node-name")))
                .isEqualTo("ui-master");
        assertThat(api.asOperator()
                        .get("/api/mesh/networks/" + networkId + "/nodes/" + worker.nodeId())
                        .status())
                .isEqualTo(404);
        assertThat(worker.api().get(worker.peersPath()).status())
                .as("the removed node's token stopped working")
                .isEqualTo(401);
    }

    @Test
    void theKubeconfigIsOfferedForDownloadOnceTheMasterUploadedIt() {
        String networkId = createNetwork(api);
        Joined master = joinNew(api, networkId, "master", "ui-kube-master");
        Api session = api.withHeader(
                "Cookie",
                "PROVISIONER_SESSION="
                        + browser.driver()
                                .manage()
                                .getCookieNamed("PROVISIONER_SESSION")
                                .getValue());
        page(networkPath(networkId));
        assertThat(browser.waitFor(By.id("kubeconfig")).getText()).startsWith("not uploaded yet");
        assertThat(browser.findAll(By.id("kubeconfig-download"))).isEmpty();
        assertThat(session.get(networkPath(networkId) + "/kubeconfig").status()).isEqualTo(404);

        String kubeconfig = "apiVersion: v1\nkind: Config\n# " + networkId + "\n";
        Api.Response uploaded = master.api().put("/api/mesh/networks/" + networkId + "/kubeconfig", kubeconfig);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        page(networkPath(networkId));

        assertThat(browser.waitFor(By.id("kubeconfig")).getText()).startsWith("uploaded by node " + master.nodeId());
        String href = browser.find(By.id("kubeconfig-download")).getAttribute("href");
        assertThat(href).endsWith(networkPath(networkId) + "/kubeconfig");
        Api.Response download = session.get(networkPath(networkId) + "/kubeconfig");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(kubeconfig);
        assertThat(download.raw().headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).contains("attachment").contains(networkId));
        assertThat(api.get(networkPath(networkId) + "/kubeconfig").status())
                .as("not without a session")
                .isEqualTo(302);
    }

    @Test
    void deletesANetworkThroughThePageAndShowsUnknownNetworksAsNotFound() {
        String networkId = createNetwork(api);
        Joined node = joinNew(api, networkId, "auto", "ui-doomed");
        page(networkPath(networkId));

        submit("delete-network");
        acceptConfirm();

        assertThat(notice()).isEqualTo("Mesh network " + networkId + " deleted with its tokens and nodes.");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/ui/mesh");
        assertThat(browser.findAll(By.cssSelector("tr[data-network='" + networkId + "']")))
                .isEmpty();
        assertThat(api.asOperator().get("/api/mesh/networks/" + networkId).status())
                .isEqualTo(404);
        assertThat(node.api().get(node.peersPath()).status()).isEqualTo(401);

        page(networkPath(networkId));
        assertThat(browser.waitFor(By.tagName("h1")).getText()).startsWith("404");
        assertThat(browser.find(By.cssSelector("main .form-error")).getText())
                .startsWith("mesh network '" + networkId + "' does not exist");
    }
}
