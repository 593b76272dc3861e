package io.clusterplatform.provisioner.server.mesh;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * One node with what the agents reported: {@code seenBy}, what its peers said about it (their last
 * handshake with it, bytes moved); {@code sees}, what it said about its peers; {@code paths}, the
 * path it uses to each peer (direct, relayed or none, see {@link MeshPaths}); {@code relays}, the round
 * trip its agent last measured to each relay (null: it did not answer), by which its pairs' relay
 * is chosen.
 */
public record MeshNodeDetail(
        @JsonUnwrapped MeshNode node,
        List<MeshNodeStore.Report> seenBy,
        List<MeshNodeStore.Report> sees,
        List<MeshPaths.PeerPath> paths,
        List<MeshRelays.Rtt> relays) {}
