package io.clusterplatform.provisioner.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every JSON operation of the OpenAPI document gets the same bad bodies: an unknown field, a
 * fraction for each integer field, a NUL in each text field and a line break in each one-line field.
 * Each must be refused with a 4xx problem, never stored (2xx) nor a server error (5xx). Operations
 * are called as the operator and as a distributor's agent, on this agent's own distributor.
 */
class StrictInputTest extends ServerIntegrationTest {

    /** One probe: the operation, the body and why it is bad. */
    private record Probe(String method, String path, String body, String what) {}

    /** Text fields whose value is one line (a name, a version, a URL): a line break there is refused. */
    private static final Set<String> MULTI_LINE =
            Set.of("text", "script", "output", "error", "kubeconfig", "detail", "privateKey");

    @Test
    void everyJsonOperationRefusesTheSameBadBodies() {
        Agents.Agent agent = Agents.enrol(api);
        JsonNode docs = api.get("/v3/api-docs").json();
        List<Probe> probes = probes(docs, agent);
        assertThat(probes).hasSizeGreaterThan(60);

        List<String> accepted = new ArrayList<>();
        Set<String> refusedWith400 = new TreeSet<>();
        for (Probe probe : probes) {
            Api.Response operator = send(api.asOperator(), probe);
            Api.Response asAgent = send(agent.api(), probe);
            for (Api.Response response : List.of(operator, asAgent)) {
                if (response.status() < 400 || response.status() >= 500 || !response.isProblem()) {
                    accepted.add(probe.method() + " " + probe.path() + " " + probe.what() + " -> " + response);
                }
                if (response.status() == 400) {
                    refusedWith400.add(probe.method() + " " + template(probe.path()));
                }
            }
        }
        assertThat(accepted)
                .as("bad bodies that were not refused with a 4xx problem")
                .isEmpty();
        assertThat(refusedWith400)
                .as("the body was read (not refused for the token) on the endpoints the issue names")
                .contains(
                        "post /api/distributors/register",
                        "post /api/distributors/{id}/events",
                        "post /api/distributors/{id}/scriptruns/{id}/result",
                        "post /api/mesh/networks/{id}/tokens",
                        "post /api/ipxes",
                        "post /api/isos");
    }

    private static String template(String path) {
        return path.replaceAll("/(\\d+|net-strict)(?=/|$)", "/{id}");
    }

    private Api.Response send(Api as, Probe probe) {
        return probe.method().equals("put") ? as.put(probe.path(), probe.body()) : as.post(probe.path(), probe.body());
    }

    private List<Probe> probes(JsonNode docs, Agents.Agent agent) {
        api.asOperator().post("/api/mesh/networks", "{\"networkId\": \"net-strict\"}");
        List<Probe> probes = new ArrayList<>();
        docs.get("paths").properties().forEach(entry -> {
            String path = entry.getKey()
                    .replace("{networkId}", "net-strict")
                    .replaceAll("\\{(id|distributorId)}", String.valueOf(agent.distributorId()))
                    .replaceAll("\\{[A-Za-z]+}", "1");
            for (String method : List.of("post", "put")) {
                JsonNode operation = entry.getValue().get(method);
                JsonNode schema = operation == null
                        ? null
                        : operation
                                .path("requestBody")
                                .path("content")
                                .path("application/json")
                                .get("schema");
                if (schema == null) {
                    continue;
                }
                probes.add(new Probe(method, path, "{\"zzUnknownField\": 1}", "an unknown field"));
                for (Map.Entry<String, JsonNode> property :
                        properties(docs, schema).entrySet()) {
                    String name = property.getKey();
                    String type = property.getValue().path("type").asText();
                    if (type.equals("integer")) {
                        probes.add(new Probe(method, path, "{\"" + name + "\": 1.5}", name + " as a fraction"));
                    } else if (type.equals("string")) {
                        probes.add(new Probe(method, path, "{\"" + name + "\": \"a\\u0000b\"}", name + " with a NUL"));
                        if (!MULTI_LINE.contains(name)) {
                            probes.add(new Probe(
                                    method,
                                    path,
                                    "{\"" + name + "\": \"a\\r\\nX-Injected: yes\"}",
                                    name + " with a line break"));
                        }
                    }
                }
            }
        });
        return probes;
    }

    private static Map<String, JsonNode> properties(JsonNode docs, JsonNode schema) {
        JsonNode resolved = schema;
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            resolved = docs.path("components").path("schemas").path(name);
        }
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        resolved.path("properties").properties().forEach(p -> properties.put(p.getKey(), p.getValue()));
        return properties;
    }
}
