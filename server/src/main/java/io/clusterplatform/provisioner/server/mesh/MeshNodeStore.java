package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.Health;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.storage.ListSpec;
import io.clusterplatform.provisioner.server.storage.ListSql;
import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The nodes of mesh networks, their last contact and what their agents report about their peers. */
@Repository
public class MeshNodeStore {
    private static final String SELECT = "SELECT n.*, w.network_id,"
            + " GREATEST((SELECT MAX(h.last_handshake) FROM mesh_handshakes h WHERE h.peer_id = n.id),"
            + " (SELECT MAX(h.last_handshake) FROM mesh_handshakes h WHERE h.reporter_id = n.id)) AS last_handshake"
            + " FROM mesh_nodes n JOIN mesh_networks w ON w.id = n.network_pk";
    private static final ListSql LIST = new ListSql(
            "(" + SELECT + ") mesh_nodes_view",
            new ListSpec(
                    Map.of(
                            "nodeId", "id",
                            "hostname", "hostname",
                            "role", "role",
                            "address", "address",
                            "ipv4", "ipv4",
                            "publicKey", "public_key",
                            "endpoint", "endpoint",
                            "joinedAt", "joined_at",
                            "lastContact", "last_contact",
                            "lastHandshake", "last_handshake"),
                    List.of("hostname", "address", "ipv4", "role"),
                    "nodeId"));

    /** A node about to be stored by a join. */
    public record NewNode(
            long networkPk,
            long sequence,
            String hostname,
            String publicKey,
            String address,
            String ipv4,
            String endpoint,
            String role,
            long tokenId,
            String tokenPrefix,
            String tokenHash) {}

    /** What a node token leads to. */
    public record Credentials(long nodeId, long networkPk, String networkId, String role, String tokenHash) {}

    /** One peer as a node's agent reported it. */
    public record Sighting(
            long peerId, Instant lastHandshake, long rxBytes, long txBytes, String endpoint, Long rttMicros) {}

    /**
     * What one node reported about another: seen from either side.
     *
     * @param endpoint where the reporter sends the other's datagrams
     * @param rttMicros the round trip of the reporter's latest probe of the other, if answered
     */
    public record Report(
            long nodeId,
            String hostname,
            Instant lastHandshake,
            long rxBytes,
            long txBytes,
            Instant reportedAt,
            String endpoint,
            Long rttMicros) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final Clock clock;
    private final Health.Thresholds health;

    MeshNodeStore(JdbcClient jdbc, JdbcTemplate template, Clock clock, MeshSettings settings) {
        this.jdbc = jdbc;
        this.template = template;
        this.clock = clock;
        this.health = settings.health();
    }

    /** Now, to the microsecond the databases keep, so that answers show what is stored. */
    private OffsetDateTime now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /** Stores a joining node (in the join's transaction) and returns its id. */
    public long insert(NewNode node) {
        OffsetDateTime now = now();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO mesh_nodes (network_pk, sequence, hostname, public_key, address, ipv4, endpoint, role,"
                        + " token_id, token_prefix, token_hash, joined_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        node.networkPk(),
                        node.sequence(),
                        node.hostname(),
                        node.publicKey(),
                        node.address(),
                        node.ipv4(),
                        node.endpoint(),
                        node.role(),
                        node.tokenId(),
                        node.tokenPrefix(),
                        node.tokenHash(),
                        now,
                        now)
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    public Optional<Long> withPublicKey(long networkPk, String publicKey) {
        return jdbc.sql("SELECT id FROM mesh_nodes WHERE network_pk = ? AND public_key = ?")
                .params(networkPk, publicKey)
                .query(Long.class)
                .optional();
    }

    /** The ids of the network's nodes among {@code publicKeys}, by public key. */
    public Map<String, Long> idsByPublicKey(long networkPk, Collection<String> publicKeys) {
        Map<String, Long> found = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(publicKeys));
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            String marks = chunk.stream().map(key -> "?").collect(Collectors.joining(", "));
            List<Object> params = new ArrayList<>();
            params.add(networkPk);
            params.addAll(chunk);
            jdbc.sql("SELECT id, public_key FROM mesh_nodes WHERE network_pk = ? AND public_key IN (" + marks + ")")
                    .params(params)
                    .query((rs, n) -> found.put(rs.getString("public_key"), rs.getLong("id")))
                    .list();
        }
        return found;
    }

    public boolean hasMaster(long networkPk) {
        return jdbc.sql("SELECT COUNT(*) FROM mesh_nodes WHERE network_pk = ? AND role = 'master'")
                        .param(networkPk)
                        .query(Long.class)
                        .single()
                > 0;
    }

    public Optional<MeshNode> find(long nodeId) {
        return jdbc.sql(SELECT + " WHERE n.id = ?")
                .param(nodeId)
                .query(this::map)
                .optional()
                .map(node -> assessed(List.of(node)).getFirst());
    }

    /** Every node of the network, in join order. */
    public List<MeshNode> ofNetwork(long networkPk) {
        List<MeshNode> all = jdbc.sql(SELECT + " WHERE n.network_pk = ? ORDER BY n.id")
                .param(networkPk)
                .query(this::map)
                .list();
        NetworkFacts facts = NetworkFacts.of(all);
        return all.stream().map(node -> assess(node, facts)).toList();
    }

    /**
     * What the health of a network's nodes needs to know of the network: how many nodes it has, how
     * many with an endpoint, and when its second node joined (from then on every node has a peer).
     */
    private record NetworkFacts(int nodes, int withEndpoint, Instant secondJoined, int relays) {
        static NetworkFacts of(List<MeshNode> all) {
            List<MeshNode> members =
                    all.stream().filter(n -> !MeshRelays.isRelay(n)).toList();
            List<Instant> joins =
                    members.stream().map(MeshNode::joinedAt).sorted().limit(2).toList();
            return new NetworkFacts(
                    members.size(),
                    (int) members.stream().filter(n -> n.endpoint() != null).count(),
                    joins.size() < 2 ? null : joins.get(1),
                    all.size() - members.size());
        }
    }

    private NetworkFacts facts(long networkPk) {
        int[] counts = jdbc.sql("SELECT SUM(CASE WHEN role <> 'relay' THEN 1 ELSE 0 END) AS nodes,"
                        + " SUM(CASE WHEN role <> 'relay' AND endpoint IS NOT NULL THEN 1 ELSE 0 END) AS endpoints,"
                        + " SUM(CASE WHEN role = 'relay' THEN 1 ELSE 0 END) AS relays"
                        + " FROM mesh_nodes WHERE network_pk = ?")
                .param(networkPk)
                .query((rs, row) -> new int[] {rs.getInt("nodes"), rs.getInt("endpoints"), rs.getInt("relays")})
                .single();
        List<Instant> joins = jdbc.sql("SELECT joined_at FROM mesh_nodes WHERE network_pk = ? AND role <> 'relay'"
                        + " ORDER BY joined_at LIMIT 2")
                .param(networkPk)
                .query((rs, row) -> Rows.instant(rs, "joined_at"))
                .list();
        return new NetworkFacts(counts[0], counts[1], joins.size() < 2 ? null : joins.get(1), counts[2]);
    }

    /** The nodes with their health from their contact and their tunnels (one lookup per network). */
    private List<MeshNode> assessed(List<MeshNode> nodes) {
        Map<Long, NetworkFacts> facts = new HashMap<>();
        return nodes.stream()
                .map(node -> assess(node, facts.computeIfAbsent(node.networkPk(), this::facts)))
                .toList();
    }

    private MeshNode assess(MeshNode node, NetworkFacts facts) {
        if (MeshRelays.isRelay(node)) {
            return node.withHealth(health.assess(node.lastContact(), Health.Tunnels.NONE, clock.instant()));
        }
        boolean hasEndpoint = node.endpoint() != null;
        Instant peersSince = facts.secondJoined() == null || node.joinedAt().isAfter(facts.secondJoined())
                ? node.joinedAt()
                : facts.secondJoined();
        Health.Tunnels tunnels = new Health.Tunnels(
                node.lastHandshake(),
                Math.max(0, facts.nodes() - 1),
                peersSince,
                hasEndpoint,
                Math.max(0, facts.withEndpoint() - (hasEndpoint ? 1 : 0)),
                facts.relays());
        return node.withHealth(health.assess(node.lastContact(), tunnels, clock.instant()));
    }

    /** The nodes of the network among {@code ids} that exist, by id. */
    public Map<Long, MeshNode> byIds(long networkPk, Collection<Long> ids) {
        Map<Long, MeshNode> found = new LinkedHashMap<>();
        List<Long> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 500) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
            String marks = chunk.stream().map(id -> "?").collect(Collectors.joining(", "));
            List<Object> params = new ArrayList<>();
            params.add(networkPk);
            params.addAll(chunk);
            jdbc.sql(SELECT + " WHERE n.network_pk = ? AND n.id IN (" + marks + ") ORDER BY n.id")
                    .params(params)
                    .query(this::map)
                    .list()
                    .forEach(node -> found.put(node.nodeId(), node));
        }
        if (!found.isEmpty()) {
            NetworkFacts facts = facts(networkPk);
            found.replaceAll((id, node) -> assess(node, facts));
        }
        return found;
    }

    public Page<MeshNode> list(long networkPk, ListRequest request) {
        Page<MeshNode> page = LIST.page(jdbc, request, "network_pk = ?", List.of(networkPk), this::map);
        NetworkFacts facts = facts(networkPk);
        return page.map(node -> assess(node, facts));
    }

    /** The ids of the nodes the join token admitted that are still in their network. */
    public List<Long> admittedBy(long tokenId) {
        return jdbc.sql("SELECT id FROM mesh_nodes WHERE token_id = ? ORDER BY id")
                .param(tokenId)
                .query(Long.class)
                .list();
    }

    /** Deletes the node (in the removal's transaction); its token stops working with the commit. */
    public boolean delete(long nodeId) {
        return jdbc.sql("DELETE FROM mesh_nodes WHERE id = ?").param(nodeId).update() == 1;
    }

    /** Records a contact of the node's agent now. */
    public Instant touch(long nodeId) {
        OffsetDateTime now = now();
        jdbc.sql("UPDATE mesh_nodes SET last_contact = ? WHERE id = ?")
                .params(now, nodeId)
                .update();
        return now.toInstant();
    }

    /** Sets the node's endpoint if it differs (in the change's transaction); whether it did. */
    public boolean updateEndpoint(long nodeId, String endpoint) {
        return jdbc.sql("UPDATE mesh_nodes SET endpoint = ?, updated_at = ? WHERE id = ?"
                                + " AND (endpoint IS NULL OR endpoint <> ?)")
                        .params(endpoint, now(), nodeId, endpoint)
                        .update()
                == 1;
    }

    public Optional<String> endpoint(long nodeId) {
        return jdbc.sql("SELECT endpoint FROM mesh_nodes WHERE id = ?")
                .param(nodeId)
                .query((rs, n) -> Optional.ofNullable(rs.getString("endpoint")))
                .optional()
                .flatMap(e -> e);
    }

    public Optional<Credentials> credentials(String tokenPrefix) {
        return jdbc.sql("SELECT n.id, n.network_pk, n.role, n.token_hash, w.network_id FROM mesh_nodes n"
                        + " JOIN mesh_networks w ON w.id = n.network_pk WHERE n.token_prefix = ?")
                .param(tokenPrefix)
                .query((rs, n) -> new Credentials(
                        rs.getLong("id"),
                        rs.getLong("network_pk"),
                        rs.getString("network_id"),
                        rs.getString("role"),
                        rs.getString("token_hash")))
                .optional();
    }

    /**
     * Stores what the reporter's agent saw of its peers: one row per (reporter, peer), updated in
     * place. Runs outside a transaction: a peer removed meanwhile is skipped.
     */
    public void recordSightings(long reporterId, List<Sighting> sightings) {
        if (sightings.isEmpty()) {
            return;
        }
        OffsetDateTime reportedAt = now();
        Set<Long> existing = new HashSet<>(jdbc.sql("SELECT peer_id FROM mesh_handshakes WHERE reporter_id = ?")
                .param(reporterId)
                .query(Long.class)
                .list());
        List<Object[]> updates = new ArrayList<>();
        List<Sighting> inserts = new ArrayList<>();
        for (Sighting s : sightings) {
            if (existing.contains(s.peerId())) {
                updates.add(new Object[] {
                    offset(s.lastHandshake()),
                    s.rxBytes(),
                    s.txBytes(),
                    s.endpoint(),
                    s.rttMicros(),
                    reportedAt,
                    reporterId,
                    s.peerId()
                });
            } else {
                inserts.add(s);
            }
        }
        if (!updates.isEmpty()) {
            template.batchUpdate(UPDATE_SIGHTING, updates);
        }
        for (Sighting s : inserts) {
            try {
                jdbc.sql("INSERT INTO mesh_handshakes (reporter_id, peer_id, last_handshake, rx_bytes, tx_bytes,"
                                + " endpoint, rtt_micros, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(
                                reporterId,
                                s.peerId(),
                                offset(s.lastHandshake()),
                                s.rxBytes(),
                                s.txBytes(),
                                s.endpoint(),
                                s.rttMicros(),
                                reportedAt)
                        .update();
            } catch (DuplicateKeyException raced) {
                jdbc.sql(UPDATE_SIGHTING)
                        .params(
                                offset(s.lastHandshake()),
                                s.rxBytes(),
                                s.txBytes(),
                                s.endpoint(),
                                s.rttMicros(),
                                reportedAt,
                                reporterId,
                                s.peerId())
                        .update();
            } catch (DataIntegrityViolationException removed) {
                // The peer (or the reporter) was removed since the report was read: nothing to keep.
            }
        }
    }

    private static final String UPDATE_SIGHTING = "UPDATE mesh_handshakes SET last_handshake = ?, rx_bytes = ?,"
            + " tx_bytes = ?, endpoint = ?, rtt_micros = ?, reported_at = ? WHERE reporter_id = ? AND peer_id = ?";

    /** What other nodes reported about {@code nodeId}. */
    public List<Report> seenBy(long nodeId) {
        return jdbc.sql("SELECT h.*, n.id AS other_id, n.hostname FROM mesh_handshakes h"
                        + " JOIN mesh_nodes n ON n.id = h.reporter_id WHERE h.peer_id = ? ORDER BY n.id")
                .param(nodeId)
                .query(MeshNodeStore::report)
                .list();
    }

    /** What each of {@code reporters} reported about its peers, by reporter, in peer order. */
    public Map<Long, List<Report>> sees(Collection<Long> reporters) {
        Map<Long, List<Report>> seen = new LinkedHashMap<>();
        if (reporters.isEmpty()) {
            return seen;
        }
        String marks = String.join(",", java.util.Collections.nCopies(reporters.size(), "?"));
        jdbc.sql("SELECT h.*, n.id AS other_id, n.hostname FROM mesh_handshakes h"
                        + " JOIN mesh_nodes n ON n.id = h.peer_id WHERE h.reporter_id IN (" + marks + ")"
                        + " ORDER BY h.reporter_id, n.id")
                .params(List.copyOf(reporters))
                .query(rs -> {
                    seen.computeIfAbsent(rs.getLong("reporter_id"), id -> new ArrayList<>())
                            .add(report(rs, 0));
                });
        return seen;
    }

    /** What {@code nodeId} reported about its peers. */
    public List<Report> sees(long nodeId) {
        return sees(List.of(nodeId)).getOrDefault(nodeId, List.of());
    }

    private static Report report(ResultSet rs, int row) throws SQLException {
        return new Report(
                rs.getLong("other_id"),
                rs.getString("hostname"),
                Rows.instant(rs, "last_handshake"),
                rs.getLong("rx_bytes"),
                rs.getLong("tx_bytes"),
                Rows.instant(rs, "reported_at"),
                rs.getString("endpoint"),
                rs.getObject("rtt_micros", Long.class));
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private MeshNode map(ResultSet rs, int row) throws SQLException {
        Instant lastContact = Rows.instant(rs, "last_contact");
        Object tokenId = rs.getObject("token_id");
        return new MeshNode(
                rs.getLong("id"),
                rs.getString("network_id"),
                rs.getString("hostname"),
                rs.getString("role"),
                rs.getString("public_key"),
                rs.getString("address"),
                rs.getString("ipv4"),
                rs.getString("endpoint"),
                tokenId == null ? null : rs.getLong("token_id"),
                Rows.instant(rs, "joined_at"),
                Rows.instant(rs, "updated_at"),
                lastContact,
                Rows.instant(rs, "last_handshake"),
                health.of(lastContact, clock.instant()).wireName(),
                null,
                rs.getLong("network_pk"));
    }
}
