package io.clusterplatform.provisioner.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationsEndpointsTest extends ServerIntegrationTest {

    @Test
    void healthIsOpen() {
        Api.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusMetricsNeedAToken() {
        assertThat(api.get("/actuator/prometheus").status()).isEqualTo(401);
        Api.Response metrics = api.asOperator().get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "http_server_requests");
        // Spring Security's per-filter observations cost more than they tell (application.yml).
        assertThat(metrics.body()).doesNotContain("spring_security_filterchains");
    }

    @Test
    void openApiDescribesTheOriginalsPaths() {
        Api.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        var paths = docs.json().get("paths");
        for (String path : new String[] {
            "/api/mainscripts",
            "/api/mainscripts/{id}",
            "/api/subscripts",
            "/api/kickstarts",
            "/api/prebootscripts",
            "/api/postbootscripts",
            "/api/localnodes",
            "/api/localnodes/{id}",
            "/api/tokens",
            "/api/sshkeys",
            "/api/sshkeys/{id}",
            "/api/sshkey"
        }) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
    }

    /** {@code name in type(format) required: description} for each parameter, in the document's order. */
    private static List<String> parameters(JsonNode operation) {
        List<String> described = new ArrayList<>();
        operation
                .get("parameters")
                .forEach(p -> described.add(p.get("name").asText() + " in "
                        + p.get("in").asText() + " "
                        + p.get("schema").get("type").asText()
                        + (p.get("schema").has("format")
                                ? "(" + p.get("schema").get("format").asText() + ")"
                                : "")
                        + (p.get("required").asBoolean() ? " required" : "")
                        + (p.has("description") ? ": " + p.get("description").asText() : "")));
        return described;
    }

    @Test
    void openApiDescribesTheListParametersAsOptionalQueryParameters() {
        JsonNode paths = api.get("/v3/api-docs").json().get("paths");
        assertThat(parameters(paths.get("/api/mesh/networks/{networkId}/nodes").get("get")))
                .containsExactly(
                        "networkId in path string required",
                        "search in query string",
                        "searchFields in query string",
                        "page in query integer(int32)",
                        "pageSize in query integer(int32)",
                        "sort in query string");
        assertThat(parameters(paths.get("/api/mainscripts").get("get")))
                .containsExactly(
                        "search in query string",
                        "searchFields in query string: comma-separated fields to search: id, name, text, createdAt,"
                                + " updatedAt",
                        "page in query integer(int32)",
                        "pageSize in query integer(int32)",
                        "sort in query string: fields to sort by, '-' before a field for descending, e.g. -updatedAt");
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response ui = api.get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }
}
