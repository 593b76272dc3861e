package io.clusterplatform.provisioner.server.mesh;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** A node's view of its network: the full map, or the changes since a version it has. */
public sealed interface PeerMap {
    long version();

    /** Every other node of the network at {@code version} (or later). */
    @JsonPropertyOrder({"version", "full", "peers"})
    record Full(long version, List<Peer> peers) implements PeerMap {
        @JsonProperty("full")
        public boolean full() {
            return true;
        }
    }

    /**
     * What changed after the poll's {@code since} up to {@code version}: peers that joined (added),
     * peers whose entry changed (updated; e.g. a new endpoint) and the node ids of peers that left
     * (removed). An agent applies added and updated as "set this peer", removed as "remove this
     * peer", and leaves every other tunnel alone. Empty when only the node itself changed.
     */
    @JsonPropertyOrder({"version", "full", "added", "updated", "removed"})
    record Delta(long version, List<Peer> added, List<Peer> updated, List<Long> removed) implements PeerMap {
        @JsonProperty("full")
        public boolean full() {
            return false;
        }
    }
}
