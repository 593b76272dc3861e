package io.clusterplatform.provisioner.server.distributors;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final ListSql LIST = new ListSql("boot_events", new ListSpec(Map.of("at", "at"), List.of(), "at"));

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
    public Page<BootEvent> list(long distributorId, Filter filter, ListRequest request) {
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
        return LIST.page(jdbc, request, String.join(" AND ", conditions), params, BootEventStore::map);
    }

    /**
     * The newest {@code limit} events about one host, of any distributor, newest first: those with
     * its MAC, and those with its IP that name no other MAC (an address can pass from host to host).
     *
     * @param mac the host's MAC (lower case), or null when unknown
     * @param ip the host's address, or null when unknown
     * @param artifactId only events of distributors of this artifactId, or null for all
     */
    public List<BootEvent> newestForHost(String mac, String ip, String artifactId, int limit) {
        List<String> hosts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (mac != null) {
            hosts.add("mac = ?");
            params.add(mac);
        }
        if (ip != null) {
            hosts.add(mac == null ? "ip = ?" : "(ip = ? AND (mac IS NULL OR mac = ?))");
            params.add(ip);
            if (mac != null) {
                params.add(mac);
            }
        }
        if (hosts.isEmpty()) {
            return List.of();
        }
        String where = "(" + String.join(" OR ", hosts) + ")";
        if (artifactId != null) {
            where += " AND artifact_id = ?";
            params.add(artifactId);
        }
        params.add(limit);
        return jdbc.sql("SELECT * FROM boot_events WHERE " + where + " ORDER BY at DESC, id DESC LIMIT ?")
                .params(params)
                .query(BootEventStore::map)
                .list();
    }

    /**
     * The MAC of the newest event that names both this IP and a MAC (dnsmasq's lines to a host that
     * has an address carry both), optionally only of distributors of {@code artifactId}.
     */
    public Optional<String> lastMacOf(String ip, String artifactId) {
        return jdbc.sql("SELECT mac FROM boot_events WHERE ip = ? AND mac IS NOT NULL"
                        + (artifactId == null ? "" : " AND artifact_id = ?")
                        + " ORDER BY at DESC, id DESC LIMIT 1")
                .params(artifactId == null ? List.of(ip) : List.of(ip, artifactId))
                .query(String.class)
                .optional();
    }

    /** The newest event that names both this MAC and an IP: where the host was last seen with an address. */
    public Optional<BootEvent> lastWithAddress(String mac) {
        return jdbc.sql("SELECT * FROM boot_events WHERE mac = ? AND ip IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1")
                .param(mac)
                .query(BootEventStore::map)
                .optional();
    }

    /** Deletes the events the server received before {@code cutoff}; returns how many. */
    @Transactional
    public int deleteReceivedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM boot_events WHERE received_at < ?")
                .param(cutoff.atOffset(ZoneOffset.UTC))
                .update();
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
