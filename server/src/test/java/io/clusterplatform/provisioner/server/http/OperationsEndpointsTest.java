package io.clusterplatform.provisioner.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
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
    void openApiDescribesTheSeedsPaths() {
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

    @Test
    void swaggerUiIsServed() {
        Api.Response ui = api.get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }
}
