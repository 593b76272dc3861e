package io.clusterplatform.provisioner.server.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A registration is a claim: an address that is neither the registration's source nor on a LAN the
 * site's distributor reported is stored unverified, shown as such and never handed to the
 * distributor to probe; a site holds at most 100 of them.
 */
class RegistrationClaimsTest extends ServerIntegrationTest {

    /** An agent of this release: it reports its networks when it registers. */
    private Agents.Agent agentOnLan(String prefix) {
        String site = Agents.site();
        Agents.Token token = Agents.createToken(api, site);
        Api agent = api.withToken(token.secret());
        Api.Response registered = agent.post(
                "/api/distributors/register",
                Json.body(Map.of("hostname", "pxe-1", "version", "0.2", "lanPrefixes", List.of(prefix))));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        return new Agents.Agent(agent, token, registered.json().get("id").asLong(), site);
    }

    private List<String> checkedIps(Agents.Agent agent) {
        List<String> ips = new ArrayList<>();
        for (JsonNode target : agent.api()
                .get("/api/distributors/" + agent.distributorId() + "/checks")
                .json()
                .get("nodes")) {
            ips.add(target.get("ip").asText());
        }
        return ips;
    }

    @Test
    void onlyPlausibleAddressesAreVerifiedAndChecked() {
        Agents.Agent agent = agentOnLan("10.77.1.0/24");
        String site = agent.site();

        JsonNode metadata = api.post("/api/localnodes?ip=169.254.169.254&artifactId=" + site)
                .json();
        JsonNode offLan =
                api.post("/api/localnodes?ip=8.8.8.8&artifactId=" + site).json();
        JsonNode onLan =
                api.post("/api/localnodes?ip=10.77.1.20&artifactId=" + site).json();
        JsonNode itself = api.post("/api/localnodes?artifactId=" + site).json();

        assertThat(metadata.get("verified").asBoolean()).isFalse();
        assertThat(offLan.get("verified").asBoolean()).isFalse();
        assertThat(offLan.get("health").asText()).isEqualTo("unknown");
        assertThat(offLan.get("healthReason").asText()).startsWith("unverified: 8.8.8.8 is neither");
        assertThat(onLan.get("verified").asBoolean())
                .as("on the distributor's LAN")
                .isTrue();
        assertThat(itself.get("verified").asBoolean())
                .as("registered from its own address")
                .isTrue();
        assertThat(checkedIps(agent))
                .containsExactlyInAnyOrder("10.77.1.20", "127.0.0.1")
                .doesNotContain("8.8.8.8", "169.254.169.254");
    }

    @Test
    void aSiteHoldsAtMostAHundredUnverifiedNodes() {
        Agents.Agent agent = agentOnLan("10.77.2.0/24");
        for (int i = 0; i < 100; i++) {
            Api.Response claim = api.post("/api/localnodes?ip=203.0.113." + i + "&artifactId=" + agent.site());
            assertThat(claim.status()).as(claim.toString()).isEqualTo(201);
        }
        Api.Response over = api.post("/api/localnodes?ip=198.51.100.1&artifactId=" + agent.site());
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.isProblem()).isTrue();
        assertThat(over.json().get("detail").asText()).contains("has 100 unverified nodes");
        assertThat(api.post("/api/localnodes?ip=10.77.2.9&artifactId=" + agent.site())
                        .status())
                .as("plausible claims are still taken")
                .isEqualTo(201);
    }

    @Test
    void aSiteWhoseDistributorReportedNoNetworksChecksEveryNodeAsBefore() {
        Agents.Agent old = Agents.enrol(api);
        JsonNode node = api.post("/api/localnodes?ip=10.99.0.5&artifactId=" + old.site())
                .json();
        assertThat(node.get("verified").asBoolean()).isTrue();
        assertThat(checkedIps(old)).containsExactly("10.99.0.5");
    }
}
