package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The agent's calls to the server: the join, the peer-map long poll and status reports. */
final class MeshClient {
    /** The server answered 401 to a node token: the node was removed (or its token is wrong). */
    static final class NodeGone extends IOException {
        NodeGone(String message) {
            super(message);
        }
    }

    /** The server refused a request for a reason a retry will not fix (4xx). */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private final URI server;
    private final ObjectMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    MeshClient(URI server, ObjectMapper json) {
        this.server = server;
        this.json = json;
    }

    /** Joins; {@code requireRole} (or null): the server refuses, without spending the token, any other role. */
    JsonNode join(String token, String publicKey, String hostname, String endpoint, String requireRole)
            throws IOException {
        var body = json.createObjectNode()
                .put("token", token)
                .put("publicKey", publicKey)
                .put("hostname", hostname);
        if (endpoint != null) {
            body.put("endpoint", endpoint);
        }
        if (requireRole != null) {
            body.put("requireRole", requireRole);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.resolve("/api/mesh/join"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
        if (response.statusCode() != 201) {
            throw new Refused("the join was refused (" + response.statusCode() + "): " + detail(response));
        }
        return json.readTree(response.body());
    }

    /** The full map (since null) or the delta since a version; empty when nothing changed within wait. */
    Optional<JsonNode> peers(long nodeId, String nodeToken, Long since, Duration wait) throws IOException {
        return poll("/api/mesh/nodes/" + nodeId + "/peers", nodeToken, since, wait);
    }

    /** A relay's pairs (since null: at once), or empty when nothing changed within wait. */
    Optional<JsonNode> relayPairs(long nodeId, String nodeToken, Long since, Duration wait) throws IOException {
        return poll("/api/mesh/nodes/" + nodeId + "/relay", nodeToken, since, wait);
    }

    /** A long poll of {@code path}: at once without {@code since}, else once something changed (204: nothing did). */
    private Optional<JsonNode> poll(String path, String nodeToken, Long since, Duration wait) throws IOException {
        String query = since == null ? "" : "?since=" + since + "&wait=" + wait.toSeconds() + "s";
        HttpResponse<String> response = send(authorized(path + query, nodeToken)
                .timeout(wait.plusSeconds(15))
                .GET()
                .build());
        if (response.statusCode() == 204) {
            return Optional.empty();
        }
        check(response);
        return Optional.of(json.readTree(response.body()));
    }

    void status(long nodeId, String nodeToken, JsonNode report) throws IOException {
        check(send(authorized("/api/mesh/nodes/" + nodeId + "/status", nodeToken)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(report.toString()))
                .build()));
    }

    private HttpRequest.Builder authorized(String path, String nodeToken) {
        return HttpRequest.newBuilder(server.resolve(path))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + nodeToken);
    }

    private void check(HttpResponse<String> response) throws IOException {
        int status = response.statusCode();
        if (status == 401) {
            throw new NodeGone(detail(response));
        }
        if (status >= 400 && status < 500) {
            throw new Refused(status + ": " + detail(response));
        }
        if (status >= 300) {
            throw new IOException("the server answered " + status + ": " + detail(response));
        }
    }

    private String detail(HttpResponse<String> response) {
        try {
            JsonNode problem = json.readTree(response.body());
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // the body as it is
        }
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
