package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.NodeRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
     * How a network's nodes see each other through its relays: for each (viewer, peer) pair relayed,
     * the first relay's host and the port for (viewer, peer); and each node's candidate for direct
     * paths (see {@link View#candidate}).
     */
    record View(Map<Long, Map<Long, String>> relayed, Map<Long, String> candidates) {
        static final View NONE = new View(Map.of(), Map.of());

        /** The endpoints at which {@code viewer} reaches its relayed peers, by peer id. */
        Map<Long, String> relayedFor(long viewer) {
            return relayed.getOrDefault(viewer, Map.of());
        }

        /**
         * The public mapping at which {@code viewer} may try to reach {@code peer} directly: given only
         * when both agents try direct paths and the relays saw each of them at one mapping (a NAT that
         * keeps its mapping whatever the destination); null otherwise.
         */
        String candidate(long viewer, long peer) {
            return candidates.containsKey(viewer) ? candidates.get(peer) : null;
        }
    }

    /** The network's relay view, at what the database holds now (one query each for pairs and candidates). */
    View view(long networkPk) {
        Map<Long, Map<Long, String>> relayed = new HashMap<>();
        jdbc.sql("SELECT p.from_id, p.to_id, p.port, r.endpoint FROM mesh_relay_ports p"
                        + " JOIN mesh_nodes r ON r.id = p.relay_id WHERE r.network_pk = ? AND NOT r.relay_down"
                        + " ORDER BY p.relay_id DESC")
                .param(networkPk)
                .query(rs -> {
                    // ordered by relay, highest first: the lowest relay's port is put last and stays
                    relayed.computeIfAbsent(rs.getLong("from_id"), id -> new HashMap<>())
                            .put(rs.getLong("to_id"), relayPort(rs.getString("endpoint"), rs.getInt("port")));
                });
        if (relayed.isEmpty()) {
            return View.NONE;
        }
        return new View(relayed, candidates(networkPk));
    }

    /**
     * Each node's single observed mapping, for nodes whose agents try direct paths and whose NAT keeps
     * it. What a relay that is down observed still counts: it is the last mapping known, and the next
     * relay has seen nothing of nodes that talk directly.
     */
    private Map<Long, String> candidates(long networkPk) {
        Map<Long, Set<String>> seen = new HashMap<>();
        jdbc.sql("SELECT DISTINCT p.from_id, p.observed FROM mesh_relay_ports p JOIN mesh_nodes n ON n.id = p.from_id"
                        + " WHERE n.network_pk = ? AND n.direct_paths AND p.observed IS NOT NULL")
                .param(networkPk)
                .query(rs -> {
                    seen.computeIfAbsent(rs.getLong("from_id"), id -> new TreeSet<>())
                            .add(rs.getString("observed"));
                });
        Map<Long, String> candidates = new HashMap<>();
        seen.forEach((node, mappings) -> {
            if (mappings.size() == 1) {
                candidates.put(node, mappings.iterator().next());
            }
        });
        return candidates;
    }

    /**
     * What a relay reports it saw: at each of its ports, where that port's node sends from. Answers the
     * nodes whose candidate changed (appeared, moved, or went because their mappings now differ).
     */
    Set<Long> observe(long networkPk, long relay, Map<Integer, String> observed) {
        if (observed.isEmpty()) {
            return Set.of();
        }
        return candidatesChanged(networkPk, () -> {
            List<Object[]> rows = new ArrayList<>();
            observed.forEach((port, endpoint) -> rows.add(new Object[] {endpoint, relay, port, endpoint}));
            int changed = 0;
            for (int count : template.batchUpdate(
                    "UPDATE mesh_relay_ports SET observed = ? WHERE relay_id = ? AND port = ?"
                            + " AND (observed IS NULL OR observed <> ?)",
                    rows)) {
                changed += count == 0 ? 0 : 1;
            }
            return changed > 0;
        });
    }

    /**
     * Records whether {@code nodeId}'s agent tries direct paths (it says so in its status reports);
     * answers the nodes whose candidate changed.
     */
    Set<Long> tryDirectPaths(long networkPk, long nodeId, boolean tries) {
        return candidatesChanged(
                networkPk,
                () -> jdbc.sql("UPDATE mesh_nodes SET direct_paths = ? WHERE id = ? AND direct_paths <> ?")
                                .params(tries, nodeId, tries)
                                .update()
                        > 0);
    }

    private Set<Long> candidatesChanged(long networkPk, java.util.function.BooleanSupplier change) {
        Map<Long, String> before = candidates(networkPk);
        if (!change.getAsBoolean()) {
            return Set.of();
        }
        Map<Long, String> after = candidates(networkPk);
        Set<Long> changed = new HashSet<>();
        for (Long node : union(before.keySet(), after.keySet())) {
            if (!Objects.equals(before.get(node), after.get(node))) {
                changed.add(node);
            }
        }
        return changed;
    }

    /** The relays (id, hostname, the relay's port for the pair) of every pair {@code (from, to)} of {@code froms}. */
    Map<List<Long>, List<Via>> vias(Collection<Long> froms) {
        Map<List<Long>, List<Via>> vias = new HashMap<>();
        String marks = String.join(",", java.util.Collections.nCopies(froms.size(), "?"));
        jdbc.sql("SELECT p.from_id, p.to_id, p.port, r.id, r.hostname, r.endpoint FROM mesh_relay_ports p"
                        + " JOIN mesh_nodes r ON r.id = p.relay_id WHERE p.from_id IN (" + marks + ") ORDER BY r.id")
                .params(List.copyOf(froms))
                .query(rs -> {
                    vias.computeIfAbsent(List.of(rs.getLong("from_id"), rs.getLong("to_id")), k -> new ArrayList<>())
                            .add(new Via(
                                    rs.getLong("id"),
                                    rs.getString("hostname"),
                                    relayPort(rs.getString("endpoint"), rs.getInt("port"))));
                });
        return vias;
    }

    /** A relay that went down or came back, and its network. */
    record Relay(long relayId, long networkPk) {}

    /**
     * Relays whose state is to change: up ones whose agent has not been in contact since {@code
     * cutoff} ({@code down}), or down ones that have been since ({@code !down}).
     */
    List<Relay> toMark(java.time.Instant cutoff, boolean down) {
        java.time.OffsetDateTime at = cutoff.atOffset(java.time.ZoneOffset.UTC);
        var query = down
                ? jdbc.sql("SELECT id, network_pk FROM mesh_nodes WHERE role = 'relay' AND NOT relay_down"
                                + " AND (last_contact < ? OR (last_contact IS NULL AND joined_at < ?))")
                        .params(at, at)
                : jdbc.sql("SELECT id, network_pk FROM mesh_nodes WHERE role = 'relay' AND relay_down"
                                + " AND last_contact >= ?")
                        .param(at);
        return query.query((rs, i) -> new Relay(rs.getLong("id"), rs.getLong("network_pk")))
                .list();
    }

    /** Marks a relay down or up; answers whether this call changed it (another replica may have). */
    boolean mark(long relayId, boolean down) {
        return jdbc.sql("UPDATE mesh_nodes SET relay_down = ? WHERE id = ? AND relay_down <> ?")
                        .params(down, relayId, down)
                        .update()
                > 0;
    }

    /** A relay a pair goes through, and the relay's port for it. */
    record Via(long relayId, String hostname, String endpoint) {}

    private static Set<Long> union(Set<Long> a, Set<Long> b) {
        Set<Long> all = new HashSet<>(a);
        all.addAll(b);
        return all;
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

    /** Where a node sends to reach a relay's port: the relay endpoint's host with that port. */
    private static String relayPort(String relayEndpoint, int port) {
        return host(relayEndpoint) + ":" + port;
    }

    private static String host(String endpoint) {
        return endpoint.substring(0, endpoint.lastIndexOf(':'));
    }
}
