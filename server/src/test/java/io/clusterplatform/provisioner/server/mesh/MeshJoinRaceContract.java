package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The check, over real HTTP against a running server on each backend: 50 hosts join at the
 * same moment with one single-use token and exactly one gets in; expired and revoked tokens are
 * refused with clear errors.
 */
abstract class MeshJoinRaceContract {
    private static final int HOSTS = 50;

    private Api api;
    private JdbcClient jdbc;

    @BeforeEach
    void connect(StandaloneServer server) {
        api = server.api();
        jdbc = server.bean(JdbcClient.class);
    }

    @Test
    void fiftySimultaneousJoinsWithOneSingleUseTokenAdmitExactlyOne() throws Exception {
        String network = MeshFixtures.createNetwork(api);
        JsonNode token = api.asOperator()
                .post("/api/mesh/networks/" + network + "/tokens", Json.body(Map.of("uses", 1)))
                .json();

        List<Api.Response> answers = MeshStoreContract.race(
                HOSTS,
                () -> MeshFixtures.join(
                        api, token.get("token").asText(), MeshFixtures.publicKey(), "host", "203.0.113.9:51820"));

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1);
        List<Api.Response> refused =
                answers.stream().filter(r -> r.status() != 201).toList();
        assertThat(refused).hasSize(HOSTS - 1).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.json().get("detail").asText())
                    .isEqualTo("the join token " + token.get("prefix").asText()
                            + " has been used: it admits one host only: ask the operator for a new one"
                            + " (POST /api/mesh/networks/{networkId}/tokens)");
        });
        JsonNode nodes =
                api.asOperator().get("/api/mesh/networks/" + network + "/nodes").json();
        assertThat(nodes.get("total").asLong()).isEqualTo(1);
        JsonNode listed = api.asOperator()
                .get("/api/mesh/networks/" + network + "/tokens")
                .json()
                .get(0);
        assertThat(listed.get("usesLeft").asInt()).isZero();
        assertThat(listed.get("state").asText()).isEqualTo("used");
        assertThat(api.asOperator()
                        .get("/api/mesh/networks/" + network)
                        .json()
                        .get("addressesIssued")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void fiftySimultaneousJoinsWithAReusableTokenAdmitAsManyAsItsUses() throws Exception {
        String network = MeshFixtures.createNetwork(api);
        String token = MeshFixtures.token(api, network, Map.of("uses", 20));

        List<Api.Response> answers = MeshStoreContract.race(
                HOSTS, () -> MeshFixtures.join(api, token, MeshFixtures.publicKey(), "host", null));

        List<JsonNode> admitted = answers.stream()
                .filter(r -> r.status() == 201)
                .map(Api.Response::json)
                .toList();
        assertThat(admitted).hasSize(20);
        assertThat(admitted.stream().map(a -> a.get("address").asText())).doesNotHaveDuplicates();
        assertThat(admitted.stream().filter(a -> a.get("role").asText().equals("master")))
                .hasSize(1);
        assertThat(answers.stream().filter(r -> r.status() == 403)).hasSize(HOSTS - 20);
    }

    @Test
    void expiredAndRevokedTokensAreRefusedWithClearErrors() {
        String network = MeshFixtures.createNetwork(api);
        Api operator = api.asOperator();
        JsonNode expired = operator.post("/api/mesh/networks/" + network + "/tokens", Json.body(Map.of("uses", 5)))
                .json();
        jdbc.sql("UPDATE mesh_join_tokens SET expires_at = ? WHERE id = ?")
                .params(
                        OffsetDateTime.parse("2026-03-01T08:00:00Z"),
                        expired.get("id").asLong())
                .update();
        JsonNode revoked = operator.post("/api/mesh/networks/" + network + "/tokens", Json.body(Map.of("uses", 5)))
                .json();
        String revokedAt = operator.delete("/api/mesh/networks/" + network + "/tokens/"
                        + revoked.get("id").asLong())
                .json()
                .get("revokedAt")
                .asText();

        Api.Response late = MeshFixtures.join(api, expired.get("token").asText(), MeshFixtures.publicKey(), "a", null);
        Api.Response cut = MeshFixtures.join(api, revoked.get("token").asText(), MeshFixtures.publicKey(), "a", null);

        assertThat(late.status()).as(late.toString()).isEqualTo(403);
        assertThat(late.json().get("detail").asText())
                .startsWith("the join token " + expired.get("prefix").asText() + " expired at 2026-03-01T08:00:00Z");
        assertThat(cut.status()).as(cut.toString()).isEqualTo(403);
        assertThat(cut.json().get("detail").asText())
                .startsWith("the join token " + revoked.get("prefix").asText() + " was revoked at "
                        + revokedAt.substring(0, 16));
        assertThat(operator.get("/api/mesh/networks/" + network + "/nodes")
                        .json()
                        .get("total")
                        .asLong())
                .isZero();
    }
}
