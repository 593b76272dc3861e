package io.clusterplatform.provisioner.server.localnodes;

import io.clusterplatform.provisioner.core.paging.ListQuery;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.ListSql;
import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Registered nodes; registering the same (ip, artifactId) again updates the row. */
@Repository
public class LocalnodeStore {
    public static final Set<String> FIELDS =
            Set.of("id", "ip", "artifactId", "pingable", "mac", "hostname", "firstSeen", "lastSeen");
    private static final ListSql LIST = new ListSql(
            "localnodes",
            Map.of(
                    "id",
                    "id",
                    "ip",
                    "ip",
                    "artifactId",
                    "artifact_id",
                    "pingable",
                    "pingable",
                    "mac",
                    "mac",
                    "hostname",
                    "hostname",
                    "firstSeen",
                    "first_seen",
                    "lastSeen",
                    "last_seen"));

    /** The outcome of a registration: the node, and whether it was new. */
    public record Registered(Localnode node, boolean created) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    public LocalnodeStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Inserts the node or updates the one with the same (ip, artifactId). Two registrations racing
     * for the same new node both succeed: the loser of the insert updates the winner's row.
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public Registered register(LocalnodeRegistration registration) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        if (update(registration, now)) {
            return new Registered(byAddress(registration).orElseThrow(), false);
        }
        try {
            jdbc.sql("INSERT INTO localnodes (ip, artifact_id, pingable, mac, hostname, first_seen, last_seen)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            registration.ip(),
                            registration.artifactId(),
                            registration.pingable(),
                            registration.mac(),
                            registration.hostname(),
                            now,
                            now)
                    .update();
            return new Registered(byAddress(registration).orElseThrow(), true);
        } catch (DuplicateKeyException raced) {
            update(registration, now);
            return new Registered(byAddress(registration).orElseThrow(), false);
        }
    }

    private boolean update(LocalnodeRegistration registration, OffsetDateTime now) {
        return jdbc.sql("UPDATE localnodes SET pingable = ?, mac = COALESCE(?, mac), hostname = COALESCE(?, hostname),"
                                + " last_seen = ? WHERE ip = ? AND artifact_id = ?")
                        .params(
                                registration.pingable(),
                                registration.mac(),
                                registration.hostname(),
                                now,
                                registration.ip(),
                                registration.artifactId())
                        .update()
                > 0;
    }

    private Optional<Localnode> byAddress(LocalnodeRegistration registration) {
        return jdbc.sql("SELECT * FROM localnodes WHERE ip = ? AND artifact_id = ?")
                .params(registration.ip(), registration.artifactId())
                .query(LocalnodeStore::map)
                .optional();
    }

    public Optional<Localnode> find(long id) {
        return jdbc.sql("SELECT * FROM localnodes WHERE id = ?")
                .param(id)
                .query(LocalnodeStore::map)
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

    public Page<Localnode> list(ListQuery query) {
        return LIST.page(jdbc, query, null, LocalnodeStore::map);
    }

    public static ListQuery parseQuery(
            String search, String searchFields, Integer page, Integer pageSize, String sort) {
        return ListQuery.parse(
                search,
                searchFields,
                page,
                pageSize,
                sort,
                FIELDS,
                List.of("ip", "artifactId", "hostname", "mac"),
                "id");
    }

    private static Localnode map(ResultSet rs, int row) throws SQLException {
        return new Localnode(
                rs.getLong("id"),
                rs.getString("ip"),
                rs.getString("artifact_id"),
                rs.getBoolean("pingable"),
                rs.getString("mac"),
                rs.getString("hostname"),
                Rows.instant(rs, "first_seen"),
                Rows.instant(rs, "last_seen"));
    }
}
