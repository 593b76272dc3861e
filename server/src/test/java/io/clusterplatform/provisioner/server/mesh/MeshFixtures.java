package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Test helpers: mesh networks, join tokens and joined nodes through the API, each with names of their own. */
public final class MeshFixtures {
    private static final SecureRandom RANDOM = new SecureRandom();

    private MeshFixtures() {}

    /** A node that joined: its answer and a client that carries its node token. */
    public record Joined(long nodeId, String networkId, String publicKey, Api api, JsonNode answer) {
        public String address() {
            return answer.get("address").asText();
        }

        public String role() {
            return answer.get("role").asText();
        }

        public long version() {
            return answer.get("version").asLong();
        }

        public String peersPath() {
            return "/api/mesh/nodes/" + nodeId + "/peers";
        }
    }

    /**
     * A public key in WireGuard's format. Random bytes, not a point made from a private key: the
     * server only checks the format, and the control plane never needs the private half.
     */
    public static String publicKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public static String networkId() {
        return "net-" + UUID.randomUUID().toString().substring(0, 13).toLowerCase(Locale.ROOT);
    }

    /** Creates a network with a random prefix as the operator and returns its id. */
    public static String createNetwork(Api api) {
        return createNetwork(api, Map.of("networkId", networkId()))
                .get("networkId")
                .asText();
    }

    public static JsonNode createNetwork(Api api, Map<String, ?> request) {
        Api.Response created = api.asOperator().post("/api/mesh/networks", Json.body(request));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    /** Creates a join token as the operator and returns the token itself. */
    public static String token(Api api, String networkId, Map<String, ?> request) {
        Api.Response created = api.asOperator().post("/api/mesh/networks/" + networkId + "/tokens", Json.body(request));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    public static Api.Response join(Api api, String token, String publicKey, String hostname, String endpoint) {
        return api.post("/api/mesh/join", Json.body(joinRequest(token, publicKey, hostname, endpoint)));
    }

    /** A join request; without an endpoint when {@code endpoint} is null. */
    public static Map<String, Object> joinRequest(String token, String publicKey, String hostname, String endpoint) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("token", token);
        request.put("publicKey", publicKey);
        request.put("hostname", hostname);
        if (endpoint != null) {
            request.put("endpoint", endpoint);
        }
        return request;
    }

    /** Joins a new host with a fresh single-use token of the given role. */
    public static Joined joinNew(Api api, String networkId, String role, String hostname) {
        String token = token(api, networkId, Map.of("role", role));
        String key = publicKey();
        Api.Response joined = join(api, token, key, hostname, "203.0.113." + (RANDOM.nextInt(250) + 1) + ":51820");
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        JsonNode answer = joined.json();
        return new Joined(
                answer.get("nodeId").asLong(),
                networkId,
                key,
                api.withToken(answer.get("nodeToken").asText()),
                answer);
    }
}
