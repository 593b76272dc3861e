package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.core.paging.ListQuery;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.server.storage.ListSql;
import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The boot events distributors upload (table {@code boot_events}). Storing is idempotent per
 * (distributor, seq): an agent that lost the response and uploads the same events again changes
 * nothing. {@code INSERT ... ON CONFLICT DO NOTHING} does that on PostgreSQL and on H2 in its
 * PostgreSQL mode (which knows the statement only without a conflict target; the id is generated, so
 * the one constraint it can hit is the unique (distributor_id, seq)), also when two uploads of the same
 * events race.
 */
@Repository
public class BootEventStore {
    private static final ListSql LIST = new ListSql("boot_events", Map.of("at", "at"));

    /** What an upload did: events stored now, and events stored before (same seq) and left alone. */
    public record Stored(int accepted, int duplicates) {}

    /**
     * Which events to list: all of one distributor, narrowed by the non-null fields.
     *
     * @param mac only this MAC address (lower case)
     * @param kind only this kind
     * @param since only events at or after this instant
     */
    public record Filter(String mac, BootEventKind kind, Instant since) {
        public static final Filter ALL = new Filter(null, null, null);
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public BootEventStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Stores the events of the distributor in one transaction, skipping those whose seq it has. */
    @Transactional
    public Stored store(long distributorId, String artifactId, List<BootEvent.New> events) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        int accepted = 0;
        for (BootEvent.New event : events) {
            accepted += jdbc.sql("INSERT INTO boot_events (distributor_id, artifact_id, seq, at, received_at, kind,"
                            + " mac, ip, file, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")
                    .params(
                            distributorId,
                            artifactId,
                            event.seq(),
                            event.at().atOffset(ZoneOffset.UTC),
                            now,
                            event.kind().wireName(),
                            event.mac(),
                            event.ip(),
                            event.file(),
                            event.message())
                    .update();
        }
        return new Stored(accepted, events.size() - accepted);
    }

    /** One page of the distributor's events, oldest first ({@code at}, then the order stored). */
    public Page<BootEvent> list(long distributorId, Filter filter, ListQuery query) {
        List<String> conditions = new ArrayList<>(List.of("distributor_id = ?"));
        List<Object> params = new ArrayList<>(List.of(distributorId));
        if (filter.mac() != null) {
            conditions.add("mac = ?");
            params.add(filter.mac());
        }
        if (filter.kind() != null) {
            conditions.add("kind = ?");
            params.add(filter.kind().wireName());
        }
        if (filter.since() != null) {
            conditions.add("at >= ?");
            params.add(filter.since().atOffset(ZoneOffset.UTC));
        }
        return LIST.page(jdbc, query, String.join(" AND ", conditions), params, BootEventStore::map);
    }

    /** {@code page} (from 1) and {@code pageSize} (1 to 100, default 10) as the other lists take them. */
    public static ListQuery parseQuery(Integer page, Integer pageSize) {
        return ListQuery.parse(null, null, page, pageSize, null, Set.of("at"), List.of(), "at");
    }

    private static BootEvent map(ResultSet rs, int row) throws SQLException {
        return new BootEvent(
                rs.getLong("id"),
                rs.getLong("distributor_id"),
                rs.getString("artifact_id"),
                rs.getLong("seq"),
                Rows.instant(rs, "at"),
                BootEventKind.parse(rs.getString("kind")).orElseThrow(),
                rs.getString("mac"),
                rs.getString("ip"),
                rs.getString("file"),
                rs.getString("message"),
                Rows.instant(rs, "received_at"));
    }
}
