package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One peer of the map as the agent applies it: {@code wg set <if> peer <publicKey> ...}. */
record MeshPeer(long nodeId, String hostname, String publicKey, String endpoint, List<String> allowedIps) {
    static MeshPeer of(JsonNode json) {
        List<String> ips = new ArrayList<>();
        json.path("allowedIps").forEach(ip -> ips.add(ip.asText()));
        JsonNode endpoint = json.path("endpoint");
        return new MeshPeer(
                json.path("nodeId").asLong(),
                json.path("hostname").asText(""),
                json.path("publicKey").asText(),
                endpoint.isTextual() && !endpoint.asText().isBlank() ? endpoint.asText() : null,
                List.copyOf(ips));
    }

    static List<MeshPeer> list(JsonNode array) {
        List<MeshPeer> peers = new ArrayList<>();
        array.forEach(p -> peers.add(of(p)));
        return peers;
    }
}
