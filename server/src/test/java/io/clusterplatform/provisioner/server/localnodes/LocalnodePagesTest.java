package io.clusterplatform.provisioner.server.localnodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.DashboardBrowserTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The node pages without a lab: the list's search and filters, empty states, and the run form's
 * errors in the server's words next to their fields. The lab test (NodesDashboardLabTest) shows
 * colours changing and a script's output arriving.
 */
class LocalnodePagesTest extends DashboardBrowserTest {

    private long register(String ip, String artifactId, String hostname) {
        Api.Response created = api.post("/api/localnodes?ip=" + ip + "&artifactId=" + artifactId
                + "&pingable=true&hostname=" + hostname + "&mac=52:54:00:aa:bb:0" + ip.charAt(ip.length() - 1));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    @Test
    void theListSearchesAndFiltersByColourAndArtifactId() {
        String site = "pages-" + UUID.randomUUID().toString().substring(0, 8);
        register("10.88.0.1", site, "alpha");
        register("10.88.0.2", site + "-other", "beta");

        page("/ui/nodes?search=" + site);
        WebElement rows = browser.waitFor(By.id("node-rows"));
        assertThat(rows.findElements(By.cssSelector("tr[data-node-id]"))).hasSize(2);
        WebElement badge = rows.findElement(By.cssSelector("tr[data-node-id] .health"));
        assertThat(badge.getText()).isEqualTo("unknown");
        assertThat(badge.getAttribute("class")).contains("health-unknown");
        assertThat(badge.getAttribute("title")).contains("no distributor of artifactId");
        assertThat(rows.getText()).contains("alpha", "10.88.0.1", "52:54:00:aa:bb:01");
        browser.screenshotBothWidths("nodes-list");

        new Select(browser.find(By.id("artifactId"))).selectByValue(site);
        browser.find(By.cssSelector("form.node-filters button[type=submit]")).click();
        browser.until(d -> d.getCurrentUrl().contains("artifactId=" + site));
        assertThat(browser.find(By.id("node-rows")).findElements(By.cssSelector("tr[data-node-id]")))
                .hasSize(1);

        new Select(browser.find(By.id("health"))).selectByValue("green");
        browser.find(By.cssSelector("form.node-filters button[type=submit]")).click();
        browser.until(d -> d.getCurrentUrl().contains("health=green"));
        assertThat(browser.find(By.id("node-rows")).getText()).contains("No node matches these filters.");
        browser.screenshotBothWidths("nodes-list-filtered-empty");

        page("/ui/nodes?health=purple");
        assertThat(browser.waitFor(By.id("health-error")).getText())
                .isEqualTo("'health' must be one of green, yellow, red, unknown, got 'purple'");
    }

    @Test
    void theRunFormShowsTheServersErrorsNextToTheFields() {
        String site = "runs-" + UUID.randomUUID().toString().substring(0, 8);
        long id = register("10.88.1.1", site, "gamma");
        page("/ui/nodes/" + id);
        assertThat(browser.waitFor(By.id("node-health")).getText()).isEqualTo("unknown");
        assertThat(browser.find(By.id("timeline")).getText()).contains("registered");
        assertThat(browser.find(By.id("runs")).getText()).contains("No script has run on this node yet.");
        browser.screenshotBothWidths("node-page");

        browser.find(By.id("script")).sendKeys("   ");
        browser.find(By.id("timeoutSeconds")).clear();
        browser.find(By.id("timeoutSeconds")).sendKeys("soon");
        browser.find(By.cssSelector("#run-form button[type=submit]")).click();
        assertThat(browser.waitFor(By.id("timeoutSeconds-error")).getText())
                .isEqualTo("'timeoutSeconds' must be a whole number of seconds, got 'soon'");

        browser.find(By.id("timeoutSeconds")).clear();
        browser.find(By.id("timeoutSeconds")).sendKeys("30");
        browser.find(By.cssSelector("#run-form button[type=submit]")).click();
        assertThat(browser.waitFor(By.id("script-error")).getText())
                .isEqualTo("'script' is required: the shell script to run on the node");
        assertThat(browser.find(By.id("script")).getAttribute("aria-invalid")).isEqualTo("true");

        browser.find(By.id("script")).sendKeys("echo hi");
        browser.find(By.id("user")).clear();
        browser.find(By.id("user")).sendKeys("Not A User");
        browser.find(By.cssSelector("#run-form button[type=submit]")).click();
        assertThat(browser.waitFor(By.id("user-error")).getText())
                .isEqualTo("'user' must be a login name like root or admin, got 'Not A User'");
        assertThat(browser.find(By.id("script")).getAttribute("value")).isEqualTo("   echo hi");

        browser.find(By.id("user")).clear();
        browser.find(By.cssSelector("#run-form button[type=submit]")).click();
        WebElement general = browser.waitFor(By.cssSelector("#run-form .form-error"));
        assertThat(general.getText()).startsWith("no private key of artifactId '" + site + "' in /api/sshkeys");
        browser.screenshotBothWidths("node-page-errors");
    }

    @Test
    void anUnknownNodeIsAPageThatSaysSo() {
        page("/ui/nodes/987654321");
        assertThat(browser.waitFor(By.cssSelector("main .form-error")).getText())
                .isEqualTo("localnode 987654321 does not exist");
    }

    @Test
    void theDistributorPageQueuesTheStatusCommandTheApiQueues() {
        Agents.Agent agent = Agents.enrol(api);
        page("/ui/distributors");
        WebElement row = browser.waitFor(By.cssSelector("tr[data-distributor-id='" + agent.distributorId() + "']"));
        assertThat(row.getText()).contains("pxe-1", agent.site(), "online", "never set");
        browser.screenshotBothWidths("distributors-list");

        row.findElement(By.linkText("pxe-1")).click();
        assertThat(browser.waitFor(By.id("pxe-toggle")).getText()).isEqualTo("Turn PXE on");
        assertThat(browser.find(By.tagName("main")).getText())
                .contains("No command was sent to this distributor yet.", "No boot events yet.");
        browser.find(By.id("pxe-toggle")).click();

        assertThat(browser.waitFor(By.cssSelector("[role=status]")).getText()).contains("turn PXE on");
        assertThat(browser.find(By.id("pxe-toggle")).getText()).isEqualTo("Turn PXE off");
        assertThat(browser.find(By.id("commands")).getText()).contains("PXE on", "pending");
        Api.Response commands = api.asOperator().get("/api/distributors/" + agent.distributorId() + "/commands");
        assertThat(commands.json().get(0).get("kind").asText()).isEqualTo("status");
        assertThat(commands.json().get(0).get("payload").get("on").asBoolean()).isTrue();
        browser.screenshotBothWidths("distributor-page-pending");
    }
}
