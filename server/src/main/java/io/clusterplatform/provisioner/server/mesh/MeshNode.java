package io.clusterplatform.provisioner.server.mesh;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.clusterplatform.provisioner.core.mesh.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of a mesh network as operators see it.
 *
 * @param joinTokenId the join token that admitted it
 * @param lastContact when its agent last polled its peer map or reported its status
 * @param lastHandshake the latest WireGuard handshake between it and any of its peers, as either side
 *     reported it
 * @param health green, yellow, red or unknown, from {@code lastContact} and its tunnels (see {@link
 *     Health})
 * @param healthReason why it is not green, or why green is all it can be told (null when green)
 */
public record MeshNode(
        long nodeId,
        String networkId,
        String hostname,
        String role,
        String publicKey,
        String address,
        String ipv4,
        String endpoint,
        Long joinTokenId,
        Instant joinedAt,
        Instant updatedAt,
        Instant lastContact,
        Instant lastHandshake,
        String health,
        String healthReason,
        @JsonIgnore long networkPk) {

    /** The same node with {@code assessment} as its health. */
    public MeshNode withHealth(Health.Assessment assessment) {
        return new MeshNode(
                nodeId,
                networkId,
                hostname,
                role,
                publicKey,
                address,
                ipv4,
                endpoint,
                joinTokenId,
                joinedAt,
                updatedAt,
                lastContact,
                lastHandshake,
                assessment.health().wireName(),
                assessment.reason(),
                networkPk);
    }

    /** The node as its peers see it. */
    public Peer asPeer() {
        List<String> allowed = new ArrayList<>();
        allowed.add(address + "/128");
        if (ipv4 != null) {
            allowed.add(ipv4 + "/32");
        }
        return new Peer(nodeId, hostname, publicKey, address, ipv4, endpoint, role, List.copyOf(allowed), false, null);
    }
}
