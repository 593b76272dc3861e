package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.NodeRole;
import io.clusterplatform.provisioner.core.mesh.RelayChoice;
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
 * is X's endpoint for Y. A pair uses the relay nearest to both its nodes, as their agents measure it
 * ({@link #rechoose}); without measurements, the lowest relay that is up.
 *
 * <p>{@link #assign} runs in every transaction that changes who is relayed (a join, a removal, a new
 * endpoint), under the network's row lock, so ports are given out without races; ports are the relay's
 * endpoint port plus 1 upward, the lowest free one first.
 */
@Repository
class MeshRelays {
    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    private final java.time.Clock clock;

    MeshRelays(JdbcClient jdbc, JdbcTemplate template, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.template = template;
        this.clock = clock;
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
        jdbc.sql("DELETE FROM mesh_relay_choices WHERE node_a = ? OR node_b = ?")
                .params(nodeId, nodeId)
                .update();
        return jdbc.sql("DELETE FROM mesh_relay_ports WHERE from_id = ? OR to_id = ?")
                        .params(nodeId, nodeId)
                        .update()
                > 0;
    }

    /**
     * How a network's nodes see each other through its relays: for each (viewer, peer) pair relayed,
     * the host of the pair's relay and its port for (viewer, peer); each node's candidate for direct
     * paths (see {@link View#candidate}); and the network's relays, which agents probe to find the
     * nearest.
     */
    record View(Map<Long, Map<Long, String>> relayed, Map<Long, String> candidates, List<PeerMap.Relay> relays) {
        static final View NONE = new View(Map.of(), Map.of(), List.of());

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

    /**
     * The network's relay view, at what the database holds now. A pair goes through its chosen relay
     * ({@link #rechoose}) while that is up, else through the lowest relay that is up.
     */
    View view(long networkPk) {
        List<PeerMap.Relay> list = jdbc.sql("SELECT id, hostname, endpoint, relay_down FROM mesh_nodes"
                        + " WHERE network_pk = ? AND role = 'relay' ORDER BY id")
                .param(networkPk)
                .query((rs, i) -> new PeerMap.Relay(
                        rs.getLong("id"),
                        rs.getString("hostname"),
                        rs.getString("endpoint"),
                        !rs.getBoolean("relay_down")))
                .list();
        if (list.isEmpty()) {
            return View.NONE;
        }
        Map<List<Long>, Long> chosen = choices(networkPk, null);
        Map<Long, Map<Long, String>> relayed = new HashMap<>();
        Map<List<Long>, Long> through = new HashMap<>();
        jdbc.sql("SELECT p.relay_id, p.from_id, p.to_id, p.port, r.endpoint FROM mesh_relay_ports p"
                        + " JOIN mesh_nodes r ON r.id = p.relay_id WHERE r.network_pk = ? AND NOT r.relay_down"
                        + " ORDER BY p.relay_id")
                .param(networkPk)
                .query(rs -> {
                    long relay = rs.getLong("relay_id");
                    long from = rs.getLong("from_id");
                    long to = rs.getLong("to_id");
                    List<Long> direction = List.of(from, to);
                    // By relay, lowest first: the lowest is taken, and the chosen one instead when it comes.
                    Long taken = through.get(direction);
                    if (taken == null || relay == chosen.getOrDefault(pair(from, to), -1L)) {
                        through.put(direction, relay);
                        relayed.computeIfAbsent(from, id -> new HashMap<>())
                                .put(to, relayPort(rs.getString("endpoint"), rs.getInt("port")));
                    }
                });
        return new View(relayed, relayed.isEmpty() ? Map.of() : candidates(networkPk), List.copyOf(list));
    }

    /** The chosen relay of each pair (a, b) with a < b, of the network or only of {@code node}'s pairs. */
    private Map<List<Long>, Long> choices(long networkPk, Long node) {
        Map<List<Long>, Long> chosen = new HashMap<>();
        var query = node == null
                ? jdbc.sql("SELECT c.node_a, c.node_b, c.relay_id FROM mesh_relay_choices c"
                                + " JOIN mesh_nodes n ON n.id = c.node_a WHERE n.network_pk = ?")
                        .param(networkPk)
                : jdbc.sql("SELECT node_a, node_b, relay_id FROM mesh_relay_choices WHERE node_a = ? OR node_b = ?")
                        .params(node, node);
        query.query(rs -> {
            chosen.put(List.of(rs.getLong("node_a"), rs.getLong("node_b")), rs.getLong("relay_id"));
        });
        return chosen;
    }

    private static List<Long> pair(long x, long y) {
        return x < y ? List.of(x, y) : List.of(y, x);
    }

    /** One node's latest measurement of one relay: its round trip, or null when it did not answer. */
    record Rtt(long relayId, String hostname, Double rttMillis, java.time.Instant measuredAt) {}

    /**
     * Stores what {@code nodeId}'s agent measured of its network's relays (round trips by relay id,
     * null for no answer), in place of what it measured before. Answers whether that differs enough to
     * choose relays again: a relay answers now or no more, one joined or left, or a round trip moved
     * by at least a millisecond and a tenth.
     */
    boolean measure(long nodeId, Map<Long, Long> rtts) {
        java.time.OffsetDateTime at = clock.instant()
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                .atOffset(java.time.ZoneOffset.UTC);
        Map<Long, Long> before = new HashMap<>();
        Set<Long> known = new HashSet<>();
        jdbc.sql("SELECT relay_id, rtt_micros FROM mesh_relay_rtts WHERE node_id = ?")
                .param(nodeId)
                .query(rs -> {
                    long micros = rs.getLong("rtt_micros");
                    before.put(rs.getLong("relay_id"), rs.wasNull() ? null : micros);
                    known.add(rs.getLong("relay_id"));
                });
        jdbc.sql("DELETE FROM mesh_relay_rtts WHERE node_id = ?").param(nodeId).update();
        List<Object[]> rows = new ArrayList<>();
        rtts.forEach((relay, micros) -> rows.add(new Object[] {nodeId, relay, micros, at}));
        if (!rows.isEmpty()) {
            template.batchUpdate(
                    "INSERT INTO mesh_relay_rtts (node_id, relay_id, rtt_micros, measured_at) VALUES (?, ?, ?, ?)",
                    rows);
        }
        if (!known.equals(rtts.keySet())) {
            return true;
        }
        for (Map.Entry<Long, Long> now : rtts.entrySet()) {
            Long was = before.get(now.getKey());
            if (was == null || now.getValue() == null) {
                if (was != now.getValue()) {
                    return true;
                }
            } else if (Math.abs(was - now.getValue()) >= Math.max(1_000, was / 10)) {
                return true;
            }
        }
        return false;
    }

    /** What {@code nodeId}'s agent last measured of its network's relays, by relay id. */
    List<Rtt> measuredBy(long nodeId) {
        return jdbc.sql("SELECT m.relay_id, r.hostname, m.rtt_micros, m.measured_at FROM mesh_relay_rtts m"
                        + " JOIN mesh_nodes r ON r.id = m.relay_id WHERE m.node_id = ? ORDER BY m.relay_id")
                .param(nodeId)
                .query((rs, i) -> {
                    long micros = rs.getLong("rtt_micros");
                    return new Rtt(
                            rs.getLong("relay_id"),
                            rs.getString("hostname"),
                            rs.wasNull() ? null : micros / 1000.0,
                            rs.getObject("measured_at", java.time.OffsetDateTime.class)
                                    .toInstant());
                })
                .list();
    }

    /**
     * Chooses again the relay of each relayed pair of the network (only those of {@code node}, when
     * given) that more than one relay that is up carries, with {@link RelayChoice} (the nearest to
     * both, kept until another is clearly nearer), and stores the choices. To be called in a
     * transaction that holds the network's lock ({@link MeshNetworkStore#lock}). Answers the nodes
     * whose pairs now go through another relay: their peers' maps change.
     */
    Set<Long> rechoose(long networkPk, Long node) {
        Map<List<Long>, Set<Long>> carriers = new HashMap<>();
        var ports = node == null
                ? jdbc.sql("SELECT p.relay_id, p.from_id, p.to_id FROM mesh_relay_ports p JOIN mesh_nodes r"
                                + " ON r.id = p.relay_id WHERE r.network_pk = ? AND NOT r.relay_down"
                                + " AND p.from_id < p.to_id")
                        .param(networkPk)
                : jdbc.sql("SELECT p.relay_id, p.from_id, p.to_id FROM mesh_relay_ports p JOIN mesh_nodes r"
                                + " ON r.id = p.relay_id WHERE NOT r.relay_down AND p.from_id < p.to_id"
                                + " AND (p.from_id = ? OR p.to_id = ?)")
                        .params(node, node);
        ports.query(rs -> {
            carriers.computeIfAbsent(List.of(rs.getLong("from_id"), rs.getLong("to_id")), k -> new TreeSet<>())
                    .add(rs.getLong("relay_id"));
        });
        carriers.values().removeIf(up -> up.size() < 2);
        if (carriers.isEmpty()) {
            return Set.of();
        }
        Map<Long, RelayChoice.Measured> measured = measurements(networkPk);
        Map<List<Long>, Long> chosen = choices(networkPk, node);
        Set<Long> moved = new TreeSet<>();
        List<Object[]> gone = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        carriers.forEach((pair, up) -> {
            Long current = chosen.get(pair);
            long now = current != null && up.contains(current)
                    ? current
                    : up.iterator().next();
            long next = RelayChoice.choose(
                    now,
                    up,
                    measured.getOrDefault(pair.get(0), RelayChoice.Measured.NONE),
                    measured.getOrDefault(pair.get(1), RelayChoice.Measured.NONE));
            if (current == null || current != next) {
                if (current != null) {
                    gone.add(new Object[] {pair.get(0), pair.get(1)});
                }
                rows.add(new Object[] {pair.get(0), pair.get(1), next});
            }
            if (next != now) {
                moved.add(pair.get(0));
                moved.add(pair.get(1));
            }
        });
        if (!gone.isEmpty()) {
            template.batchUpdate("DELETE FROM mesh_relay_choices WHERE node_a = ? AND node_b = ?", gone);
        }
        if (!rows.isEmpty()) {
            template.batchUpdate("INSERT INTO mesh_relay_choices (node_a, node_b, relay_id) VALUES (?, ?, ?)", rows);
        }
        return moved;
    }

    /** What each node of the network measured of its relays. */
    private Map<Long, RelayChoice.Measured> measurements(long networkPk) {
        Map<Long, Map<Long, Long>> rtts = new HashMap<>();
        Map<Long, Set<Long>> unanswered = new HashMap<>();
        jdbc.sql("SELECT m.node_id, m.relay_id, m.rtt_micros FROM mesh_relay_rtts m"
                        + " JOIN mesh_nodes n ON n.id = m.node_id WHERE n.network_pk = ?")
                .param(networkPk)
                .query(rs -> {
                    long micros = rs.getLong("rtt_micros");
                    if (rs.wasNull()) {
                        unanswered
                                .computeIfAbsent(rs.getLong("node_id"), k -> new HashSet<>())
                                .add(rs.getLong("relay_id"));
                    } else {
                        rtts.computeIfAbsent(rs.getLong("node_id"), k -> new HashMap<>())
                                .put(rs.getLong("relay_id"), micros);
                    }
                });
        Map<Long, RelayChoice.Measured> measured = new HashMap<>();
        for (Long id : union(rtts.keySet(), unanswered.keySet())) {
            measured.put(
                    id,
                    new RelayChoice.Measured(rtts.getOrDefault(id, Map.of()), unanswered.getOrDefault(id, Set.of())));
        }
        return measured;
    }

    /** The node ids of the network's relays. */
    Set<Long> relayIds(long networkPk) {
        return new TreeSet<>(jdbc.sql("SELECT id FROM mesh_nodes WHERE network_pk = ? AND role = 'relay'")
                .param(networkPk)
                .query(Long.class)
                .list());
    }

    /** Whether more than one relay of the network is up (only then is there a relay to choose). */
    boolean hasChoice(long networkPk) {
        return jdbc.sql("SELECT COUNT(*) FROM mesh_nodes WHERE network_pk = ? AND role = 'relay' AND NOT relay_down")
                        .param(networkPk)
                        .query(Long.class)
                        .single()
                > 1;
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
