package io.clusterplatform.provisioner.server.mesh;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** A node's view of its network: the full map, or the changes since a version it has. */
public sealed interface PeerMap {
    long version();

    /** The network's relays: agents that measure probe each at its endpoint to find the nearest. */
    List<Relay> relays();

    /**
     * A relay of the network, as agents see it.
     *
     * @param endpoint where the relay answers probes (its public endpoint; its pairs' ports are above)
     * @param up whether it reported within {@code provisioner.mesh.relay-timeout}
     */
    record Relay(long nodeId, String hostname, String endpoint, boolean up) {}

    /** Every other node of the network at {@code version} (or later), and its relays. */
    @JsonPropertyOrder({"version", "full", "peers", "relays"})
    record Full(long version, List<Peer> peers, List<Relay> relays) implements PeerMap {
        @JsonProperty("full")
        public boolean full() {
            return true;
        }
    }

    /**
     * What changed after the poll's {@code since} up to {@code version}: peers that joined (added),
     * peers whose entry changed (updated; e.g. a new endpoint) and the node ids of peers that left
     * (removed). An agent applies added and updated as "set this peer", removed as "remove this
     * peer", and leaves every other tunnel alone. Empty when only the node itself changed. The
     * network's relays come whole in every delta.
     */
    @JsonPropertyOrder({"version", "full", "added", "updated", "removed", "relays"})
    record Delta(long version, List<Peer> added, List<Peer> updated, List<Long> removed, List<Relay> relays)
            implements PeerMap {
        @JsonProperty("full")
        public boolean full() {
            return false;
        }
    }
}
