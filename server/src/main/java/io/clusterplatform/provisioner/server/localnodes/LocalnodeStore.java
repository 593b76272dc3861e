package io.clusterplatform.provisioner.server.localnodes;

import io.clusterplatform.provisioner.core.distributors.DistributorRules;
import io.clusterplatform.provisioner.core.nodes.NodeHealth;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.liveness.LivenessSettings;
import io.clusterplatform.provisioner.server.liveness.NodeEventKind;
import io.clusterplatform.provisioner.server.liveness.NodeEventStore;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registered nodes; registering the same (ip, artifactId) again updates the row. Each registration
 * is also a node event. Nodes are read with their health, computed from what the last liveness check
 * found and whether a distributor of their artifactId is online to check them.
 */
@Repository
public class LocalnodeStore {
    /**
     * The nodes with the last time a distributor of their artifactId was seen, for their health. A
     * derived table named like the table, so that list conditions and ordering read the same.
     */
    private static final String NODES = "(SELECT l.*, (SELECT MAX(d.last_seen) FROM distributors d"
            + " WHERE d.artifact_id = l.artifact_id) AS checker_seen FROM localnodes l) localnodes";

    /**
     * The same columns for the nodes that match {@code condition} (on {@code l}, the localnodes
     * table): the condition sits inside, next to the table, so the database looks the rows up by
     * index instead of computing every node's row first (H2 does not push a condition into a
     * derived table; that made each registration a scan of all nodes).
     */
    private static String nodesWhere(String condition) {
        return "SELECT l.*, (SELECT MAX(d.last_seen) FROM distributors d WHERE d.artifact_id = l.artifact_id)"
                + " AS checker_seen FROM localnodes l WHERE " + condition;
    }

    private static final ListSql LIST = new ListSql(
            NODES,
            new ListSpec(
                    Map.ofEntries(
                            Map.entry("id", "id"),
                            Map.entry("ip", "ip"),
                            Map.entry("artifactId", "artifact_id"),
                            Map.entry("pingable", "pingable"),
                            Map.entry("mac", "mac"),
                            Map.entry("hostname", "hostname"),
                            Map.entry("firstSeen", "first_seen"),
                            Map.entry("lastSeen", "last_seen"),
                            Map.entry("lastCheckedAt", "last_checked_at"),
                            Map.entry("reachable", "reachable"),
                            Map.entry("sshOpen", "ssh_open"),
                            Map.entry("verified", "verified")),
                    List.of("ip", "artifactId", "hostname", "mac"),
                    "id"));

    /** The outcome of a registration: the node, and whether it was new. */
    public record Registered(Localnode node, boolean created) {}

    /** A registration and whether its claim is plausible ({@link RegistrationClaims}). */
    public record Claim(LocalnodeRegistration registration, boolean verified) {}

    /** Unverified nodes one site may have; registrations of more are refused (429). */
    public static final int MAX_UNVERIFIED = 100;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final Clock clock;
    private final NodeEventStore events;
    private final NodeHealth.Thresholds thresholds;
    private final TransactionTemplate tx;

    public LocalnodeStore(
            JdbcClient jdbc,
            JdbcTemplate template,
            Clock clock,
            NodeEventStore events,
            LivenessSettings liveness,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.events = events;
        this.thresholds = liveness.thresholds();
    }

    /**
     * Inserts the node or updates the one with the same (ip, artifactId), and records the event, in
     * one transaction: one commit per registration, durable when it returns. Two registrations
     * racing for the same new node both succeed: the loser's insert fails on the unique key, and
     * its transaction runs again, now updating the winner's row.
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public Registered register(LocalnodeRegistration registration) {
        return register(registration, true);
    }

    /**
     * As {@link #register(LocalnodeRegistration)}, for a claim that is {@code verified} or not. An
     * unverified registration never makes a verified node unverified; a verified one verifies it.
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public Registered register(LocalnodeRegistration registration, boolean verified) {
        Claim claim = new Claim(registration, verified);
        try {
            return registerOnce(claim);
        } catch (DuplicateKeyException raced) {
            return registerOnce(claim);
        }
    }

    /**
     * Registers each of {@code registrations} in order, as {@link #register} would, all in one
     * transaction (one commit for all: see {@link LocalnodeRegistrar}). Throws, having stored
     * none of them, when any fails, e.g. a node deleted meanwhile.
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public List<Registered> registerAll(List<Claim> claims) {
        return tx.execute(status -> {
            if (batchable(claims)) {
                return insertOrUpdateBatch(claims);
            }
            List<Registered> all = new ArrayList<>(claims.size());
            for (Claim claim : claims) {
                all.add(insertOrUpdateRecorded(claim));
            }
            return all;
        });
    }

    /** A node's (ip, artifactId): what a registration finds it by. */
    private record Key(String ip, String artifactId) {
        static Key of(LocalnodeRegistration registration) {
            return new Key(registration.ip(), registration.artifactId());
        }
    }

    /**
     * Whether the claims can be written as batches of statements: all verified (an unverified one
     * counts its site's unverified nodes first, in order) and no node twice (the second would update
     * what the first inserts).
     */
    private static boolean batchable(List<Claim> claims) {
        Set<Key> keys = new HashSet<>();
        return claims.size() > 1 && claims.stream().allMatch(c -> c.verified() && keys.add(Key.of(c.registration())));
    }

    /**
     * What {@link #insertOrUpdateRecorded} does for each claim, with one statement (or one JDBC batch)
     * per step for all of them: look the nodes up, update the known ones, insert the others, read
     * them back, record the events. Five round trips to the database for the whole batch instead of
     * five per registration, which kept the registrar's one thread waiting for PostgreSQL. A node
     * another server inserted meanwhile is updated instead; throws when a known node was deleted
     * meanwhile, and the registrar then writes each claim on its own.
     */
    private List<Registered> insertOrUpdateBatch(List<Claim> claims) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        String pairs = String.join(", ", Collections.nCopies(claims.size(), "(?, ?)"));
        List<Object> keyParams = new ArrayList<>(claims.size() * 2);
        for (Claim claim : claims) {
            keyParams.add(claim.registration().ip());
            keyParams.add(claim.registration().artifactId());
        }
        Map<Key, Long> known = new HashMap<>();
        jdbc.sql("SELECT id, ip, artifact_id FROM localnodes WHERE (ip, artifact_id) IN (" + pairs + ")")
                .params(keyParams)
                .query((ResultSet rs) -> {
                    known.put(new Key(rs.getString("ip"), rs.getString("artifact_id")), rs.getLong("id"));
                });
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (Claim claim : claims) {
            LocalnodeRegistration r = claim.registration();
            Long id = known.get(Key.of(r));
            if (id != null) {
                updates.add(new Object[] {r.pingable(), r.mac(), r.hostname(), now, true, id});
            } else {
                inserts.add(new Object[] {r.ip(), r.artifactId(), r.pingable(), r.mac(), r.hostname(), now, now, true});
            }
        }
        if (!updates.isEmpty()) {
            int[] counts = template.batchUpdate(
                    "UPDATE localnodes SET pingable = ?, mac = COALESCE(?, mac), hostname = COALESCE(?, hostname),"
                            + " last_seen = ?, verified = verified OR ? WHERE id = ?",
                    updates);
            for (int count : counts) {
                if (count == 0) {
                    throw new IllegalStateException("a node of the batch was deleted meanwhile");
                }
            }
        }
        Set<Key> inserted = new HashSet<>();
        if (!inserts.isEmpty()) {
            // Another replica may insert one of these nodes between the look-up and here (the same
            // hosts registering through two replicas of a load balancer): that row is then updated
            // below instead of failing the whole batch, which made every registration of it a
            // transaction of its own (ReplicasBenchmark: 4x the CPU per registration on 3 replicas).
            int[] counts = template.batchUpdate(
                    "INSERT INTO localnodes (ip, artifact_id, pingable, mac, hostname, first_seen, last_seen, verified)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    inserts);
            List<Object[]> raced = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                Object[] row = inserts.get(i);
                if (counts[i] == 1) {
                    inserted.add(new Key((String) row[0], (String) row[1]));
                } else if (counts[i] == 0) {
                    raced.add(row);
                } else {
                    throw new IllegalStateException("the driver did not say which nodes it inserted");
                }
            }
            if (!raced.isEmpty()) {
                updateRaced(raced, now);
            }
        }
        Map<Key, Localnode> nodes = new HashMap<>();
        for (Localnode node : jdbc.sql(nodesWhere("(l.ip, l.artifact_id) IN (" + pairs + ")"))
                .params(keyParams)
                .query(this::map)
                .list()) {
            nodes.put(new Key(node.ip(), node.artifactId()), node);
        }
        List<Registered> answers = new ArrayList<>(claims.size());
        List<NodeEventStore.NewEvent> registered = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            Key key = Key.of(claim.registration());
            Localnode node = nodes.get(key);
            if (node == null) {
                throw new IllegalStateException("node " + key + " of the batch is gone");
            }
            Registered answer = new Registered(node, inserted.contains(key));
            answers.add(answer);
            registered.add(new NodeEventStore.NewEvent(
                    node.id(), NodeEventKind.REGISTERED, node.lastSeen(), describe(claim.registration(), answer)));
        }
        events.recordAll(registered);
        return answers;
    }

    /**
     * Updates the nodes of {@code raced} (insert rows: ip, artifactId, pingable, mac, hostname, ...)
     * that another server inserted after this batch looked them up, as if they had been known.
     */
    private void updateRaced(List<Object[]> raced, OffsetDateTime now) {
        List<Object> keyParams = new ArrayList<>(raced.size() * 2);
        for (Object[] row : raced) {
            keyParams.add(row[0]);
            keyParams.add(row[1]);
        }
        Map<Key, Long> ids = new HashMap<>();
        jdbc.sql("SELECT id, ip, artifact_id FROM localnodes WHERE (ip, artifact_id) IN ("
                        + String.join(", ", Collections.nCopies(raced.size(), "(?, ?)")) + ")")
                .params(keyParams)
                .query((ResultSet rs) -> {
                    ids.put(new Key(rs.getString("ip"), rs.getString("artifact_id")), rs.getLong("id"));
                });
        List<Object[]> updates = new ArrayList<>(raced.size());
        for (Object[] row : raced) {
            Long id = ids.get(new Key((String) row[0], (String) row[1]));
            if (id == null) {
                throw new IllegalStateException("a node of the batch was inserted and deleted meanwhile");
            }
            updates.add(new Object[] {row[2], row[3], row[4], now, true, id});
        }
        template.batchUpdate(
                "UPDATE localnodes SET pingable = ?, mac = COALESCE(?, mac), hostname = COALESCE(?, hostname),"
                        + " last_seen = ?, verified = verified OR ? WHERE id = ?",
                updates);
    }

    private Registered registerOnce(Claim claim) {
        return tx.execute(status -> insertOrUpdateRecorded(claim));
    }

    private Registered insertOrUpdateRecorded(Claim claim) {
        Registered registered = insertOrUpdate(claim);
        Localnode node = registered.node();
        events.record(node.id(), NodeEventKind.REGISTERED, node.lastSeen(), describe(claim.registration(), registered));
        return registered;
    }

    private static String describe(LocalnodeRegistration registration, Registered registered) {
        StringBuilder text = new StringBuilder(registered.created() ? "registered" : "registered again")
                .append(" from ")
                .append(registration.ip())
                .append(" with artifactId ")
                .append(registration.artifactId());
        if (registration.hostname() != null) {
            text.append(", hostname ").append(registration.hostname());
        }
        if (registration.mac() != null) {
            text.append(", mac ").append(registration.mac());
        }
        return text.append(", pingable=").append(registration.pingable()).toString();
    }

    private Registered insertOrUpdate(Claim claim) {
        LocalnodeRegistration registration = claim.registration();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        // Found by its address first, then updated by id: given "ip = ? AND artifact_id = ?" with
        // parameters, H2's UPDATE chose the artifact_id index and so read every node of the site.
        Optional<Long> known = jdbc.sql("SELECT id FROM localnodes WHERE ip = ? AND artifact_id = ?")
                .params(registration.ip(), registration.artifactId())
                .query(Long.class)
                .optional();
        if (known.isPresent() && update(known.get(), claim, now)) {
            return new Registered(find(known.get()).orElseThrow(), false);
        }
        if (!claim.verified()) {
            requireRoomForUnverified(registration.artifactId());
        }
        jdbc.sql("INSERT INTO localnodes (ip, artifact_id, pingable, mac, hostname, first_seen, last_seen, verified)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        registration.ip(),
                        registration.artifactId(),
                        registration.pingable(),
                        registration.mac(),
                        registration.hostname(),
                        now,
                        now,
                        claim.verified())
                .update();
        return new Registered(byAddress(registration).orElseThrow(), true);
    }

    private boolean update(long id, Claim claim, OffsetDateTime now) {
        LocalnodeRegistration registration = claim.registration();
        return jdbc.sql("UPDATE localnodes SET pingable = ?, mac = COALESCE(?, mac), hostname = COALESCE(?, hostname),"
                                + " last_seen = ?, verified = verified OR ? WHERE id = ?")
                        .params(
                                registration.pingable(),
                                registration.mac(),
                                registration.hostname(),
                                now,
                                claim.verified(),
                                id)
                        .update()
                > 0;
    }

    private void requireRoomForUnverified(String artifactId) {
        int unverified = jdbc.sql("SELECT COUNT(*) FROM localnodes WHERE artifact_id = ? AND NOT verified")
                .param(artifactId)
                .query(Integer.class)
                .single();
        if (unverified >= MAX_UNVERIFIED) {
            throw new ProblemException(
                    429,
                    "Too Many Requests",
                    "artifactId '" + artifactId + "' has " + unverified + " unverified nodes, the most a site may have:"
                            + " register from the node itself (leave 'ip' out), or from an address on a LAN of the"
                            + " site's distributor, or delete unverified nodes");
        }
    }

    private Optional<Localnode> byAddress(LocalnodeRegistration registration) {
        return jdbc.sql(nodesWhere("l.ip = ? AND l.artifact_id = ?"))
                .params(registration.ip(), registration.artifactId())
                .query(this::map)
                .optional();
    }

    public Optional<Localnode> find(long id) {
        return jdbc.sql(nodesWhere("l.id = ?")).param(id).query(this::map).optional();
    }

    /** The node of this address and artifactId, if any. */
    public Optional<Localnode> findAt(String ip, String artifactId) {
        return byAddress(new LocalnodeRegistration(ip, artifactId, null, null, null));
    }

    /** The node last seen with this MAC (lower case), if any. */
    public Optional<Localnode> lastSeenWithMac(String mac) {
        return jdbc.sql(nodesWhere("l.mac = ? ORDER BY l.last_seen DESC, l.id DESC LIMIT 1"))
                .param(mac)
                .query(this::map)
                .optional();
    }

    /** The node last seen at this address, of any artifactId, if any. */
    public Optional<Localnode> lastSeenAt(String ip) {
        return jdbc.sql(nodesWhere("l.ip = ? ORDER BY l.last_seen DESC, l.id DESC LIMIT 1"))
                .param(ip)
                .query(this::map)
                .optional();
    }

    public Localnode get(long id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("localnode " + id + " does not exist"));
    }

    @Transactional
    public void delete(long id) {
        if (jdbc.sql("DELETE FROM localnodes WHERE id = ?").param(id).update() == 0) {
            throw ProblemException.notFound("localnode " + id + " does not exist");
        }
    }

    public Page<Localnode> list(ListRequest request) {
        return LIST.page(jdbc, request, null, this::map);
    }

    private Localnode map(ResultSet rs, int row) throws SQLException {
        Instant now = clock.instant();
        String artifactId = rs.getString("artifact_id");
        Instant lastCheckedAt = Rows.instant(rs, "last_checked_at");
        Boolean reachable = nullableBoolean(rs, "reachable");
        NodeHealth.Assessment health = NodeHealth.assess(
                new NodeHealth.Facts(
                        artifactId,
                        DistributorRules.isOnline(Rows.instant(rs, "checker_seen"), now),
                        lastCheckedAt,
                        reachable,
                        Rows.instant(rs, "last_reachable_at")),
                thresholds,
                now);
        boolean verified = rs.getBoolean("verified");
        if (!verified) {
            health = new NodeHealth.Assessment(
                    NodeHealth.Colour.UNKNOWN,
                    "unverified: " + rs.getString("ip") + " is neither the address its registration came from nor on"
                            + " a LAN of the site's distributor, so no distributor checks it");
        }
        return new Localnode(
                rs.getLong("id"),
                rs.getString("ip"),
                artifactId,
                rs.getBoolean("pingable"),
                rs.getString("mac"),
                rs.getString("hostname"),
                Rows.instant(rs, "first_seen"),
                Rows.instant(rs, "last_seen"),
                health.colour(),
                health.reason(),
                lastCheckedAt,
                reachable,
                nullableBoolean(rs, "ssh_open"),
                verified);
    }

    private static Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }
}
