package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.MeshAgents;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Localnode to globalnode in one call, for real: {@code POST /api/mesh/networks/{id}/localnodes/{nodeId}}
 * queues a script run; the real distributor agent runs it over SSH on the node (dropbear in a
 * namespace, {@link SshNode}); the script fetches the shell agent from the server, which joins with
 * its single-use token and brings up wireguard-go; the node then pings a mesh member that joined on
 * its own (the shell agent in another namespace), and that member pings it back over the overlay.
 */
class MeshLocalnodeLabTest {
    private static final Pattern ADDRESS = Pattern.compile("(?m)^address=(\\S+)$");

    @Test
    void aLocalnodeJoinsTheMeshThroughItsDistributorAndPingsAMember() {
        String peerIfname = MeshAgents.interfaceName("lp");
        try (PxeSite site = PxeSite.start()) {
            site.startAgent();
            SshNode node = SshNode.start(site, "meshln", 10);
            Api api = site.api();
            String network = "lab-localnode";
            Api.Response created = api.post("/api/mesh/networks", Json.body(Map.of("networkId", network)));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            Api.Response token =
                    api.post("/api/mesh/networks/" + network + "/tokens", Json.body(Map.of("role", "master")));
            assertThat(token.status()).as(token.toString()).isEqualTo(201);
            String peerNamespace = site.lab.addNamespace("meshpeer", 11);
            MeshAgents.Member peer = MeshAgents.shellAgent(
                    site.lab,
                    "peer",
                    peerNamespace,
                    site.lab.subnet() + ".11",
                    peerIfname,
                    site.serverUrl,
                    token.json().get("token").asText());

            Api.Response joining = api.post("/api/mesh/networks/" + network + "/localnodes/" + node.id(), "{}");

            assertThat(joining.status()).as(joining.toString()).isEqualTo(202);
            JsonNode run = awaitRunEnded(api, joining.json().at("/run/id").asLong());
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("done");
            assertThat(run.get("exitCode").asInt()).as(run.toString()).isZero();
            Matcher address = ADDRESS.matcher(run.get("stdout").asText());
            assertThat(address.find()).as(run.toString()).isTrue();
            String nodeAddress = address.group(1);
            JsonNode members = api.get("/api/mesh/networks/" + network + "/nodes?pageSize=100")
                    .json();
            assertThat(members.get("total").asInt()).as(members.toString()).isEqualTo(2);
            String peerAddress = null;
            for (JsonNode member : members.get("rows")) {
                if (member.get("address").asText().equals(nodeAddress)) {
                    assertThat(member.get("role").asText())
                            .as("the second node, by automatic choice")
                            .isEqualTo("worker");
                } else {
                    peerAddress = member.get("address").asText();
                }
            }
            assertThat(peerAddress).as(members.toString()).isNotNull();
            String toPeer = peerAddress;
            Awaitility.await("the localnode and the member to ping each other over the overlay")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> MeshAgents.ping(site.lab, node.namespace(), toPeer)
                            && MeshAgents.ping(site.lab, peer.namespace(), nodeAddress));
            long tokenId = joining.json().get("tokenId").asLong();
            JsonNode spent = null;
            for (JsonNode row :
                    api.get("/api/mesh/networks/" + network + "/tokens").json()) {
                if (row.get("id").asLong() == tokenId) {
                    spent = row;
                }
            }
            assertThat(spent).as("token " + tokenId).isNotNull();
            assertThat(spent.get("usesLeft").asInt())
                    .as("the node's single-use token is spent")
                    .isZero();
        } finally {
            MeshAgents.deleteControlSocket(peerIfname);
        }
    }

    private static JsonNode awaitRunEnded(Api api, long runId) {
        JsonNode[] last = {null};
        Awaitility.await("script run " + runId + " to end")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = api.get("/api/scriptruns/" + runId).json();
                    String status = last[0].get("status").asText();
                    return !status.equals("queued") && !status.equals("running");
                });
        return last[0];
    }
}
