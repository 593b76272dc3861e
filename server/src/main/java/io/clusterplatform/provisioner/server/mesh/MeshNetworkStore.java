package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.Ipv4Range;
import io.clusterplatform.provisioner.core.mesh.UlaPrefix;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Mesh networks, their address counter, their peer-map version with its change log, and their
 * kubeconfig.
 *
 * <p>Every change of a peer map goes through {@link #recordChange}: it takes the next version with
 * {@code UPDATE mesh_networks SET version = version + 1}, which holds the network's row lock until
 * the transaction ends, and records one {@code mesh_changes} row under that version. So versions are
 * committed in order, a reader never sees version {@code n + 1} without {@code n}, and joins (which
 * also take the lock) choose roles and sequence numbers one at a time.
 */
@Repository
public class MeshNetworkStore {
    private static final String COLUMNS = "w.id, w.network_id, w.ipv6_prefix, w.ipv4_range, w.next_sequence,"
            + " w.version, w.created_at, w.kubeconfig_updated_at, w.kubeconfig_node_id,"
            + " (SELECT COUNT(*) FROM mesh_nodes n WHERE n.network_pk = w.id) AS node_count";
    private static final ListSql LIST = new ListSql(
            "(SELECT " + COLUMNS + " FROM mesh_networks w) mesh_networks_view",
            new ListSpec(
                    Map.of(
                            "networkId", "network_id",
                            "createdAt", "created_at",
                            "nodes", "node_count",
                            "version", "version"),
                    List.of("networkId"),
                    "networkId"));

    /** A change of a peer map, as the change log keeps it. */
    public record Change(long version, long nodeId, String kind) {}

    /** What a join took from the network: its sequence number and the version of the join's change. */
    public record Allocation(long sequence, long version) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final MeshVersions versions;

    MeshNetworkStore(JdbcClient jdbc, Clock clock, MeshVersions versions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.versions = versions;
    }

    /** Now, to the microsecond the databases keep, so that answers show what is stored. */
    private OffsetDateTime now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    @Transactional
    public MeshNetwork create(String networkId, UlaPrefix prefix, Ipv4Range range) {
        try {
            jdbc.sql("INSERT INTO mesh_networks (network_id, ipv6_prefix, ipv4_range, created_at) VALUES (?, ?, ?, ?)")
                    .params(networkId, prefix.toString(), range == null ? null : range.toString(), now())
                    .update();
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("mesh network '" + networkId + "' exists already");
        }
        return get(networkId);
    }

    public Optional<MeshNetwork> find(String networkId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mesh_networks w WHERE w.network_id = ?")
                .param(networkId)
                .query(MeshNetworkStore::map)
                .optional();
    }

    public MeshNetwork get(String networkId) {
        return find(networkId)
                .orElseThrow(() -> ProblemException.notFound(
                        "mesh network '" + networkId + "' does not exist; list them with GET /api/mesh/networks"));
    }

    public Optional<MeshNetwork> byPk(long pk) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mesh_networks w WHERE w.id = ?")
                .param(pk)
                .query(MeshNetworkStore::map)
                .optional();
    }

    /** Every network, oldest first. */
    public List<MeshNetwork> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mesh_networks w ORDER BY w.id")
                .query(MeshNetworkStore::map)
                .list();
    }

    public Page<MeshNetwork> list(ListRequest request) {
        return LIST.page(jdbc, request, null, MeshNetworkStore::map);
    }

    /**
     * Deletes the network with its tokens, nodes and change log. Tokens go first: a join holds its
     * token's lock before it takes the network's, so taking them in the same order cannot deadlock.
     */
    @Transactional
    public void delete(String networkId) {
        MeshNetwork network = get(networkId);
        jdbc.sql("DELETE FROM mesh_join_tokens WHERE network_pk = ?")
                .param(network.pk())
                .update();
        jdbc.sql("DELETE FROM mesh_networks WHERE id = ?").param(network.pk()).update();
        afterCommit(() -> versions.forget(network.pk()));
    }

    /** The network's version as committed now, or empty when it is gone. */
    public Optional<Long> version(long pk) {
        return jdbc.sql("SELECT version FROM mesh_networks WHERE id = ?")
                .param(pk)
                .query(Long.class)
                .optional();
    }

    /**
     * For a join, in its transaction: takes the network's lock, the next sequence number and the next
     * version (the join's change is recorded with {@link #logChange} once the node has its id).
     */
    public Allocation allocate(long pk) {
        int updated = jdbc.sql(
                        "UPDATE mesh_networks SET next_sequence = next_sequence + 1, version = version + 1 WHERE id = ?")
                .param(pk)
                .update();
        if (updated == 0) {
            throw ProblemException.notFound("the mesh network was deleted");
        }
        return jdbc.sql("SELECT next_sequence - 1 AS sequence, version FROM mesh_networks WHERE id = ?")
                .param(pk)
                .query((rs, n) -> new Allocation(rs.getLong("sequence"), rs.getLong("version")))
                .single();
    }

    /**
     * Takes the network's lock and its next version, in the caller's transaction; the change must be
     * logged with {@link #logChange} under it before the transaction ends.
     */
    public long nextVersion(long pk) {
        int updated = jdbc.sql("UPDATE mesh_networks SET version = version + 1 WHERE id = ?")
                .param(pk)
                .update();
        if (updated == 0) {
            throw ProblemException.notFound("the mesh network was deleted");
        }
        return jdbc.sql("SELECT version FROM mesh_networks WHERE id = ?")
                .param(pk)
                .query(Long.class)
                .single();
    }

    /**
     * Takes the network's lock in the caller's transaction, without a new version (for reads that
     * decide whether to change anything, such as choosing relays again).
     */
    public void lock(long pk) {
        jdbc.sql("SELECT id FROM mesh_networks WHERE id = ? FOR UPDATE")
                .param(pk)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> ProblemException.notFound("the mesh network was deleted"));
    }

    /** Records the change under a version taken in this transaction; waiting polls wake after the commit. */
    public void logChange(long pk, long version, long nodeId, String kind) {
        jdbc.sql("INSERT INTO mesh_changes (network_pk, version, node_id, kind, changed_at) VALUES (?, ?, ?, ?, ?)")
                .params(pk, version, nodeId, kind, now())
                .update();
        afterCommit(() -> versions.advanced(pk, version));
    }

    /** Takes the next version and records the change under it (in the caller's transaction). */
    public long recordChange(long pk, long nodeId, String kind) {
        long version = nextVersion(pk);
        logChange(pk, version, nodeId, kind);
        return version;
    }

    /** The changes after {@code since} up to {@code upTo}, oldest first. */
    public List<Change> changes(long pk, long since, long upTo) {
        return jdbc.sql("SELECT version, node_id, kind FROM mesh_changes WHERE network_pk = ? AND version > ?"
                        + " AND version <= ? ORDER BY version")
                .params(pk, since, upTo)
                .query((rs, n) -> new Change(rs.getLong("version"), rs.getLong("node_id"), rs.getString("kind")))
                .list();
    }

    /** Whether the log still holds every change after {@code since} up to {@code upTo}. */
    public boolean holdsChanges(long pk, long since, long upTo) {
        long held = jdbc.sql("SELECT COUNT(*) FROM mesh_changes WHERE network_pk = ? AND version > ? AND version <= ?")
                .params(pk, since, upTo)
                .query(Long.class)
                .single();
        return held == upTo - since;
    }

    /** Forgets changes older than {@code before}; polls with an older {@code since} get full maps. */
    public int pruneChanges(Instant before) {
        return jdbc.sql("DELETE FROM mesh_changes WHERE changed_at < ?")
                .param(before.atOffset(ZoneOffset.UTC))
                .update();
    }

    @Transactional
    public Instant putKubeconfig(long pk, long nodeId, String kubeconfig) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("UPDATE mesh_networks SET kubeconfig = ?, kubeconfig_node_id = ?,"
                        + " kubeconfig_updated_at = ? WHERE id = ?")
                .params(kubeconfig, nodeId, now, pk)
                .update();
        if (updated == 0) {
            throw ProblemException.notFound("the mesh network was deleted");
        }
        return now.toInstant();
    }

    public Optional<String> kubeconfig(long pk) {
        return jdbc.sql("SELECT kubeconfig FROM mesh_networks WHERE id = ?")
                .param(pk)
                .query((rs, n) -> Optional.ofNullable(rs.getString("kubeconfig")))
                .optional()
                .flatMap(k -> k);
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }

    private static MeshNetwork map(ResultSet rs, int row) throws SQLException {
        String prefix = rs.getString("ipv6_prefix");
        Object kubeconfigNode = rs.getObject("kubeconfig_node_id");
        return new MeshNetwork(
                rs.getLong("id"),
                rs.getString("network_id"),
                prefix,
                UlaPrefix.parse("ipv6Prefix", prefix).nodeSubnet(),
                rs.getString("ipv4_range"),
                rs.getLong("node_count"),
                rs.getLong("next_sequence") - 1,
                rs.getLong("version"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "kubeconfig_updated_at"),
                kubeconfigNode == null ? null : rs.getLong("kubeconfig_node_id"));
    }
}
