package io.clusterplatform.provisioner.server.mesh;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.clusterplatform.provisioner.core.mesh.Ipv4Range;
import io.clusterplatform.provisioner.core.mesh.UlaPrefix;
import java.time.Instant;

/**
 * A mesh network as operators see it.
 *
 * @param pk the row's key (not shown: the API names networks by {@code networkId})
 * @param nodeSubnet the /64 node addresses live in
 * @param nodes how many nodes are in it now
 * @param addressesIssued how many node addresses it ever gave out (never reused)
 * @param version the latest version of its peer map
 */
public record MeshNetwork(
        @JsonIgnore long pk,
        String networkId,
        String ipv6Prefix,
        String nodeSubnet,
        String ipv4Range,
        long nodes,
        long addressesIssued,
        long version,
        Instant createdAt,
        Instant kubeconfigUploadedAt,
        Long kubeconfigUploadedBy) {

    @JsonIgnore
    public UlaPrefix prefix() {
        return UlaPrefix.parse("ipv6Prefix", ipv6Prefix);
    }

    /** The IPv4 range, or null when the network has none. */
    @JsonIgnore
    public Ipv4Range range() {
        return ipv4Range == null ? null : Ipv4Range.parse("ipv4Range", ipv4Range);
    }
}
