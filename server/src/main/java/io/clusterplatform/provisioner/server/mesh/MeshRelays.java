package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.NodeRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Which pairs of a network's nodes go through which relay, on which ports. A pair is relayed when
 * neither of its nodes has an endpoint (both are taken to be behind NAT, so neither can reach the
 * other); every relay of the network then gives each of the two nodes a port of its own (see the
 * distributor's RelayForwarder): node X's datagrams to Y arrive at the relay's port for (X, Y), which
 * is X's endpoint for Y. Nodes use their network's first relay (the lowest node id).
 *
 * <p>{@link #assign} runs in every transaction that changes who is relayed (a join, a removal, a new
 * endpoint), under the network's row lock, so ports are given out without races; ports are the relay's
 * endpoint port plus 1 upward, the lowest free one first.
 */
@Repository
class MeshRelays {
    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    MeshRelays(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** One relayed pair as its relay forwards it. */
    record Pair(int portA, String keyA, long nodeA, int portB, String keyB, long nodeB) {}

    /**
     * Gives ports on every relay of the network to every pair that needs one; answers the ids of the
     * nodes that got new relayed endpoints (their peers' maps change).
     */
    Set<Long> assign(long networkPk, List<MeshNode> nodes) {
        List<MeshNode> relays = nodes.stream().filter(MeshRelays::isRelay).toList();
        List<MeshNode> natted =
                nodes.stream().filter(n -> !isRelay(n) && n.endpoint() == null).toList();
        Set<Long> changed = new HashSet<>();
        for (MeshNode relay : relays) {
            int base = port(relay.endpoint());
            Map<List<Long>, Integer> given = new HashMap<>();
            TreeSet<Integer> used = new TreeSet<>();
            jdbc.sql("SELECT from_id, to_id, port FROM mesh_relay_ports WHERE relay_id = ?")
                    .param(relay.nodeId())
                    .query(rs -> {
                        given.put(List.of(rs.getLong("from_id"), rs.getLong("to_id")), rs.getInt("port"));
                        used.add(rs.getInt("port"));
                    });
            List<Object[]> rows = new ArrayList<>();
            int next = base + 1;
            for (MeshNode from : natted) {
                for (MeshNode to : natted) {
                    if (from == to || given.containsKey(List.of(from.nodeId(), to.nodeId()))) {
                        continue;
                    }
                    while (used.contains(next)) {
                        next++;
                    }
                    if (next > 65_535) {
                        continue; // the relay's ports are used up: the pair stays without a path
                    }
                    used.add(next);
                    rows.add(new Object[] {relay.nodeId(), from.nodeId(), to.nodeId(), next});
                    changed.add(from.nodeId());
                    changed.add(to.nodeId());
                }
            }
            if (!rows.isEmpty()) {
                template.batchUpdate(
                        "INSERT INTO mesh_relay_ports (relay_id, from_id, to_id, port) VALUES (?, ?, ?, ?)", rows);
            }
        }
        return changed;
    }

    /** The nodes whose pairs {@code relay} relays (their entries change when it goes). */
    List<Long> relayedBy(long relay) {
        return jdbc.sql("SELECT DISTINCT from_id FROM mesh_relay_ports WHERE relay_id = ? ORDER BY from_id")
                .param(relay)
                .query(Long.class)
                .list();
    }

    /** The nodes {@code nodeId} reaches through a relay. */
    List<Long> partnersOf(long nodeId) {
        return jdbc.sql("SELECT DISTINCT to_id FROM mesh_relay_ports WHERE from_id = ? ORDER BY to_id")
                .param(nodeId)
                .query(Long.class)
                .list();
    }

    /** Drops the ports of pairs no longer relayed (a node that now has an endpoint); answers whether any went. */
    boolean release(long nodeId) {
        return jdbc.sql("DELETE FROM mesh_relay_ports WHERE from_id = ? OR to_id = ?")
                        .params(nodeId, nodeId)
                        .update()
                > 0;
    }

    /**
     * The relayed endpoints of {@code viewer}'s peers: for each peer it reaches through a relay, the
     * first relay's host and the port for (viewer, peer).
     */
    Map<Long, String> endpointsFor(long viewer) {
        Map<Long, String> endpoints = new HashMap<>();
        jdbc.sql("SELECT p.to_id, p.port, r.endpoint FROM mesh_relay_ports p JOIN mesh_nodes r ON r.id = p.relay_id"
                        + " WHERE p.from_id = ? ORDER BY p.relay_id DESC")
                .param(viewer)
                .query(rs -> {
                    // ordered by relay, highest first: the lowest relay's port is put last and stays
                    endpoints.put(rs.getLong("to_id"), host(rs.getString("endpoint")) + ":" + rs.getInt("port"));
                });
        return endpoints;
    }

    /** The pairs {@code relay} forwards, each once. */
    List<Pair> pairs(long relay) {
        record Row(long from, long to, int port, String key) {}
        List<Row> rows = jdbc.sql("SELECT p.from_id, p.to_id, p.port, n.public_key FROM mesh_relay_ports p"
                        + " JOIN mesh_nodes n ON n.id = p.from_id WHERE p.relay_id = ? ORDER BY p.from_id, p.to_id")
                .param(relay)
                .query((rs, i) -> new Row(
                        rs.getLong("from_id"), rs.getLong("to_id"), rs.getInt("port"), rs.getString("public_key")))
                .list();
        Map<List<Long>, Row> byPair = new HashMap<>();
        rows.forEach(row -> byPair.put(List.of(row.from(), row.to()), row));
        List<Pair> pairs = new ArrayList<>();
        for (Row a : rows) {
            Row b = byPair.get(List.of(a.to(), a.from()));
            if (a.from() < a.to() && b != null) {
                pairs.add(new Pair(a.port(), a.key(), a.from(), b.port(), b.key(), b.from()));
            }
        }
        return pairs;
    }

    static boolean isRelay(MeshNode node) {
        return NodeRole.RELAY.wireName().equals(node.role());
    }

    /** The port of an {@code ip:port} or {@code [ipv6]:port} endpoint. */
    static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static String host(String endpoint) {
        return endpoint.substring(0, endpoint.lastIndexOf(':'));
    }
}
