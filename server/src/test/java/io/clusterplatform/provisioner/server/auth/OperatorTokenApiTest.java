package io.clusterplatform.provisioner.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorTokenApiTest extends ServerIntegrationTest {

    @Test
    void createdTokenWorksIsListedWithoutSecretAndStopsWorkingWhenRevoked() {
        Api.Response created = api.asOperator().post("/api/tokens", Json.body(Map.of("name", "ci")));
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asText();
        long id = created.json().get("id").asLong();
        assertThat(token).startsWith("cpp_").hasSizeGreaterThan(40);
        assertThat(created.json().get("prefix").asText()).isEqualTo(token.substring(0, 12));

        assertThat(api.withToken(token).get("/api/mainscripts").status()).isEqualTo(200);

        Api.Response list = api.asOperator().get("/api/tokens");
        assertThat(list.body()).doesNotContain(token).doesNotContain(OPERATOR_TOKEN);
        JsonNode listed = null;
        for (JsonNode row : list.json()) {
            if (row.get("id").asLong() == id) {
                listed = row;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("name").asText()).isEqualTo("ci");
        assertThat(listed.get("lastUsedAt").isNull()).isFalse();

        assertThat(api.withToken(token).delete("/api/tokens/" + id).status()).isEqualTo(200);
        Api.Response refused = api.withToken(token).get("/api/mainscripts");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asText()).contains("unknown or revoked");
    }

    @Test
    void wrongTokenIsRefusedEvenOnOpenEndpoints() {
        long id = api.asOperator()
                .post("/api/mainscripts", Json.body(Map.of("text", "#!ipxe")))
                .json()
                .get("id")
                .asLong();
        Api.Response response = api.withToken("cpp_wrongwro_" + "x".repeat(40)).get("/api/mainscripts/" + id);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(api.withHeader("Authorization", "Basic Zm9vOmJhcg==")
                        .get("/api/mainscripts/" + id)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void tokensAreStoredHashed() throws Exception {
        // The embedded database files must not contain the token itself.
        try (var files = Files.walk(dataDir())) {
            for (var file : files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".db"))
                    .toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain(OPERATOR_TOKEN);
            }
        }
        assertThat(dataDir().resolve("operator-token")).doesNotExist();
    }

    @Test
    void tokenNameIsRequired() {
        Api.Response response = api.asOperator().post("/api/tokens", "{}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("'name'");
    }
}
