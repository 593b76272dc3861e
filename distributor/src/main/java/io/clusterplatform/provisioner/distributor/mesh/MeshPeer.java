package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer of the map as the agent applies it: {@code wg set <if> peer <publicKey> ...}.
 *
 * @param relayed whether {@code endpoint} is a relay's port for the pair
 * @param candidate the peer's public mapping, to try a direct path at, when the peer is relayed and both
 *     sides may try one; else null
 */
record MeshPeer(
        long nodeId,
        String hostname,
        String publicKey,
        String endpoint,
        List<String> allowedIps,
        boolean relayed,
        String candidate) {
    MeshPeer(long nodeId, String hostname, String publicKey, String endpoint, List<String> allowedIps) {
        this(nodeId, hostname, publicKey, endpoint, allowedIps, false, null);
    }

    /** The same peer at another endpoint. */
    MeshPeer at(String otherEndpoint) {
        return new MeshPeer(nodeId, hostname, publicKey, otherEndpoint, allowedIps, relayed, candidate);
    }

    static MeshPeer of(JsonNode json) {
        List<String> ips = new ArrayList<>();
        json.path("allowedIps").forEach(ip -> ips.add(ip.asText()));
        return new MeshPeer(
                json.path("nodeId").asLong(),
                json.path("hostname").asText(""),
                json.path("publicKey").asText(),
                text(json.path("endpoint")),
                List.copyOf(ips),
                json.path("relayed").asBoolean(false),
                text(json.path("candidate")));
    }

    private static String text(JsonNode value) {
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    static List<MeshPeer> list(JsonNode array) {
        List<MeshPeer> peers = new ArrayList<>();
        array.forEach(p -> peers.add(of(p)));
        return peers;
    }
}
