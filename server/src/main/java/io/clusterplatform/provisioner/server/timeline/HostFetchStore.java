package io.clusterplatform.provisioner.server.timeline;

import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** What the server served to booting hosts, by client address (table {@code host_fetches}). */
@Repository
public class HostFetchStore {
    static final int MAX_PATH = 2000;

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;

    public HostFetchStore(JdbcClient jdbc, JdbcTemplate jdbcTemplate) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
    }

    private static final String INSERT = "INSERT INTO host_fetches (at, client_ip, method, path, status, bytes, times,"
            + " last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private record Sameness(String clientIp, String method, String path, int status, Long bytes) {}

    /**
     * Requests of a booting host, to be recorded: {@code times} identical ones (1 as a request makes
     * it), the first at {@code at}, the last at {@code lastAt}; {@code bytes} is null when no body was
     * sent.
     */
    public record Fetch(
            Instant at,
            String clientIp,
            String method,
            String path,
            int status,
            Long bytes,
            int times,
            Instant lastAt) {
        /** One request. */
        public Fetch(Instant at, String clientIp, String method, String path, int status, Long bytes) {
            this(at, clientIp, method, path, status, bytes, 1, at);
        }

        /** What makes two fetches the same request again: address, method, path, status and length. */
        Object sameness() {
            return new Sameness(clientIp, method, path, status, bytes);
        }

        /** This one and {@code later}, the same request again ({@link #sameness}), as one row. */
        Fetch and(Fetch later) {
            return new Fetch(
                    at.isAfter(later.at) ? later.at : at,
                    clientIp,
                    method,
                    path,
                    status,
                    bytes,
                    times + later.times,
                    lastAt.isAfter(later.lastAt) ? lastAt : later.lastAt);
        }
    }

    public void record(Instant at, String clientIp, String method, String path, int status, Long bytes) {
        recordAll(List.of(new Fetch(at, clientIp, method, path, status, bytes)));
    }

    /** Stores the fetches in one transaction (one JDBC batch): all of them or, on failure, none. */
    @Transactional
    public void recordAll(List<Fetch> fetches) {
        jdbcTemplate.batchUpdate(INSERT, fetches, fetches.size(), (statement, fetch) -> {
            statement.setObject(1, fetch.at().atOffset(ZoneOffset.UTC));
            statement.setString(2, fetch.clientIp());
            statement.setString(3, fetch.method());
            statement.setString(
                    4, fetch.path().length() > MAX_PATH ? fetch.path().substring(0, MAX_PATH) : fetch.path());
            statement.setInt(5, fetch.status());
            if (fetch.bytes() == null) {
                statement.setNull(6, Types.BIGINT);
            } else {
                statement.setLong(6, fetch.bytes());
            }
            statement.setInt(7, fetch.times());
            if (fetch.times() > 1) {
                statement.setObject(8, fetch.lastAt().atOffset(ZoneOffset.UTC));
            } else {
                statement.setNull(8, Types.TIMESTAMP_WITH_TIMEZONE);
            }
        });
    }

    /** The newest {@code limit} requests from {@code clientIp}, newest first. */
    public List<HostFetch> newest(String clientIp, int limit) {
        return jdbc.sql("SELECT * FROM host_fetches WHERE client_ip = ? ORDER BY at DESC, id DESC LIMIT ?")
                .params(clientIp, limit)
                .query(HostFetchStore::map)
                .list();
    }

    /** Whether {@code clientIp} fetched anything at or after {@code since}. */
    public boolean anySince(String clientIp, Instant since) {
        OffsetDateTime from = since.atOffset(ZoneOffset.UTC);
        return jdbc.sql("SELECT COUNT(*) FROM host_fetches WHERE client_ip = ? AND (at >= ? OR last_at >= ?)")
                        .params(clientIp, from, from)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Deletes the requests older than {@code cutoff}; returns how many. */
    public int deleteBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM host_fetches WHERE at < ?")
                .param(cutoff.atOffset(ZoneOffset.UTC))
                .update();
    }

    private static HostFetch map(ResultSet rs, int row) throws SQLException {
        long bytes = rs.getLong("bytes");
        Long length = rs.wasNull() ? null : bytes;
        return new HostFetch(
                rs.getLong("id"),
                Rows.instant(rs, "at"),
                rs.getString("client_ip"),
                rs.getString("method"),
                rs.getString("path"),
                rs.getInt("status"),
                length,
                rs.getInt("times"),
                Rows.instant(rs, "last_at"));
    }
}
