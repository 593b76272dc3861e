package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.DashboardBrowserTest;
import io.clusterplatform.provisioner.server.testing.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Localnode to globalnode from the dashboard: the node's page links to the join form, which queues the
 * run (with the agent's part played through the agent's API here; MeshLocalnodeLabTest runs it for
 * real) and shows the run's page; a refused join leaves no valid token behind.
 */
class MeshLocalnodePagesTest extends DashboardBrowserTest {

    private long node(Agents.Agent agent, String ip) {
        Api.Response node = api.post("/api/localnodes?ip=" + ip + "&artifactId=" + agent.site() + "&pingable=true");
        assertThat(node.status()).as(node.toString()).isEqualTo(201);
        return node.json().get("id").asLong();
    }

    private void storePrivateKey(String site) {
        String privateKey = api.asOperator()
                .get("/api/sshkey?algorithm=ed25519")
                .json()
                .get("privateKey")
                .asText();
        Api.Response key = api.asOperator()
                .post("/api/sshkeys", Json.body(Map.of("text", privateKey, "artifactId", site, "private", true)));
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
    }

    private JsonNode tokenOf(String networkId, long nodeId) {
        for (JsonNode token : api.asOperator()
                .get("/api/mesh/networks/" + networkId + "/tokens")
                .json()) {
            if (token.get("name").asText().startsWith("localnode " + nodeId + " ")) {
                return token;
            }
        }
        return null;
    }

    @Test
    void aNodeJoinsANetworkFromItsPageAndTheRunShows() {
        Agents.Agent agent = Agents.enrol(api);
        storePrivateKey(agent.site());
        long nodeId = node(agent, "10.7.8.9");
        String networkId = MeshFixtures.createNetwork(api);
        page("/ui/nodes/" + nodeId);

        browser.find(By.id("join-mesh")).click();
        browser.waitFor(By.id("join-form"));
        new Select(browser.find(By.id("networkId"))).selectByValue(networkId);
        new Select(browser.find(By.id("role"))).selectByValue("worker");
        browser.screenshotBothWidths("mesh-localnode-join");
        browser.find(By.cssSelector("#join-form button[type=submit]")).click();

        browser.until(d -> d.getCurrentUrl().matches(".*/ui/nodes/" + nodeId + "/runs/\\d+$"));
        assertThat(browser.waitFor(By.cssSelector("[role=status]")).getText())
                .startsWith("Joining " + networkId + " as worker with a single-use token (cpm_");
        long runId = Long.parseLong(browser.driver().getCurrentUrl().replaceAll(".*/runs/", ""));
        JsonNode run = api.asOperator().get("/api/scriptruns/" + runId).json();
        JsonNode taken = agent.api()
                .get("/api/distributors/" + agent.distributorId() + "/scriptruns/" + runId)
                .json();
        String joinToken = taken.get("script").asText().replaceAll("(?s).*--token '(cpm_[^']+)'.*", "$1");
        assertThat(joinToken).as("the agent gets the script whole").matches("cpm_[a-z2-7]{8}_[a-z2-7]{40}");
        String shown = "--token '" + joinToken.substring(0, 12) + "_…'";
        assertThat(run.get("script").asText())
                .as("operators see the token by its prefix only")
                .contains("/mesh/agent.sh", "--endpoint '10.7.8.9'", shown)
                .doesNotContain(joinToken);
        assertThat(browser.find(By.id("run-script")).getText()).contains(shown);
        assertThat(browser.driver().getPageSource()).doesNotContain(joinToken);
        JsonNode token = tokenOf(networkId, nodeId);
        assertThat(token).as("the node's join token").isNotNull();
        assertThat(token.get("role").asText()).isEqualTo("worker");
        assertThat(token.get("usesLeft").asInt()).isEqualTo(1);
        browser.screenshotBothWidths("mesh-localnode-run");
    }

    @Test
    void aRefusedJoinShowsWhyAndLeavesNoValidToken() {
        Agents.Agent agent = Agents.enrol(api);
        long nodeId = node(agent, "10.7.8.10");
        String networkId = MeshFixtures.createNetwork(api);
        page("/ui/nodes/" + nodeId + "/mesh");
        browser.find(By.id("endpoint")).sendKeys("not an endpoint!");
        new Select(browser.find(By.id("networkId"))).selectByValue(networkId);
        browser.find(By.cssSelector("#join-form button[type=submit]")).click();

        assertThat(browser.waitFor(By.id("endpoint-error")).getText())
                .isEqualTo("'endpoint' must be an address or address:port, got 'not an endpoint!'");
        browser.find(By.id("endpoint")).clear();
        browser.find(By.cssSelector("#join-form button[type=submit]")).click();

        assertThat(browser.waitFor(By.cssSelector(".form-error")).getText())
                .startsWith("no private key of artifactId '" + agent.site() + "'");
        browser.screenshotBothWidths("mesh-localnode-refused");
        JsonNode token = tokenOf(networkId, nodeId);
        assertThat(token).as("the token made before the run was refused").isNotNull();
        assertThat(token.get("state").asText()).isEqualTo("revoked");
    }
}
