package io.clusterplatform.provisioner.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.registries.TextRegistry;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nothing the server accepted is lost when it restarts: one server takes requests over HTTP and is
 * stopped, a new one on the same data directory (and database) answers them. Each subclass only
 * names the backend.
 */
abstract class PersistenceContract {
    private static final String NODE = "/api/localnodes?ip=10.0.0.5&artifactId=felicitas.pojtinger.swabia.sol";

    @Test
    void nothingAcceptedIsLostOnRestart(BackendDatabase database) {
        Map<TextRegistry, Long> ids = new EnumMap<>(TextRegistry.class);
        Accepted accepted;
        try (StandaloneServer server = StandaloneServer.start(database)) {
            Api operator = server.api().asOperator();
            for (TextRegistry registry : TextRegistry.values()) {
                Api.Response created = operator.post(
                        "/api/" + registry.path(),
                        Json.body(Map.of("name", registry.singular(), "text", textOf(registry))));
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                ids.put(registry, created.json().get("id").asLong());
            }
            accepted = acceptMore(server.api(), operator);
        }

        try (StandaloneServer server = StandaloneServer.start(database)) {
            Api operator = server.api().asOperator();
            for (TextRegistry registry : TextRegistry.values()) {
                Api.Response raw = operator.get("/api/" + registry.path() + "/" + ids.get(registry));
                assertThat(raw.status()).as(raw.toString()).isEqualTo(200);
                assertThat(raw.body()).isEqualTo(textOf(registry));
            }
            assertThat(operator.getJson("/api/mainscripts/" + accepted.replaced())
                            .json())
                    .isEqualTo(accepted.replacedAsJson());
            assertThat(operator.get("/api/subscripts/" + accepted.deleted()).status())
                    .isEqualTo(404);

            JsonNode node =
                    operator.getJson("/api/localnodes/" + accepted.node()).json();
            assertThat(node.get("pingable").asBoolean())
                    .as("the second registration's update")
                    .isFalse();
            Api.Response registeredAgain = server.api().post(NODE + "&pingable=true");
            assertThat(registeredAgain.status()).as("known node, so no new row").isEqualTo(200);
            assertThat(registeredAgain.json().get("id").asLong()).isEqualTo(accepted.node());

            assertThat(server.api()
                            .withToken(accepted.keptToken())
                            .get("/api/tokens")
                            .status())
                    .isEqualTo(200);
            assertThat(server.api()
                            .withToken(accepted.revokedToken())
                            .get("/api/tokens")
                            .status())
                    .isEqualTo(401);
            assertThat(operator.get("/api/tokens").json().findValuesAsText("name"))
                    .as("the bootstrap token is stored once, not again at the second start")
                    .containsExactly("bootstrap", "kept", "revoked");

            Api.Response next = operator.post("/api/mainscripts", Json.body(Map.of("text", "after restart")));
            assertThat(next.json().get("id").asLong())
                    .as("ids continue after the restart")
                    .isGreaterThan(accepted.replaced());
        }
    }

    /** Ids and secrets of what the first server accepted besides the plain creates. */
    private record Accepted(
            long replaced, JsonNode replacedAsJson, long deleted, long node, String keptToken, String revokedToken) {}

    private static Accepted acceptMore(Api anyone, Api operator) {
        long replaced = operator.post("/api/mainscripts", Json.body(Map.of("text", "version 1")))
                .json()
                .get("id")
                .asLong();
        assertThat(operator.put(
                                "/api/mainscripts/" + replaced,
                                Json.body(Map.of("name", "menu", "text", "version 2\n")))
                        .status())
                .isEqualTo(200);
        JsonNode replacedAsJson =
                operator.getJson("/api/mainscripts/" + replaced).json();
        assertThat(replacedAsJson.get("text").asText()).isEqualTo("version 2\n");

        long deleted = operator.post("/api/subscripts", Json.body(Map.of("text", "short-lived")))
                .json()
                .get("id")
                .asLong();
        assertThat(operator.delete("/api/subscripts/" + deleted).status()).isEqualTo(204);

        Api.Response registered = anyone.post(NODE + "&pingable=true");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(anyone.post(NODE + "&pingable=false").status()).isEqualTo(200);

        String kept = operator.post("/api/tokens", Json.body(Map.of("name", "kept")))
                .json()
                .get("token")
                .asText();
        JsonNode revoked = operator.post("/api/tokens", Json.body(Map.of("name", "revoked")))
                .json();
        assertThat(operator.delete("/api/tokens/" + revoked.get("id").asLong()).status())
                .isEqualTo(200);

        return new Accepted(
                replaced,
                replacedAsJson,
                deleted,
                registered.json().get("id").asLong(),
                kept,
                revoked.get("token").asText());
    }

    /** Text that only survives if stored byte for byte: non-ASCII, CRLF, a trailing blank line. */
    private static String textOf(TextRegistry registry) {
        return "#!ipxe\r\necho Grüße aus Schwaben, 雪 🚀 (" + registry.singular() + ")\r\n\tchain next\n\n";
    }
}
