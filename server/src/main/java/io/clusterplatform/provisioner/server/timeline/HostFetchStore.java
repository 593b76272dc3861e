package io.clusterplatform.provisioner.server.timeline;

import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the server served to booting hosts, by client address (table {@code host_fetches}). */
@Repository
public class HostFetchStore {
    static final int MAX_PATH = 2000;

    private final JdbcClient jdbc;

    public HostFetchStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(Instant at, String clientIp, String method, String path, int status, Long bytes) {
        jdbc.sql("INSERT INTO host_fetches (at, client_ip, method, path, status, bytes) VALUES (?, ?, ?, ?, ?, ?)")
                .params(
                        at.atOffset(ZoneOffset.UTC),
                        clientIp,
                        method,
                        path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path,
                        status,
                        bytes)
                .update();
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
        return jdbc.sql("SELECT COUNT(*) FROM host_fetches WHERE client_ip = ? AND at >= ?")
                        .params(clientIp, since.atOffset(ZoneOffset.UTC))
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
                length);
    }
}
