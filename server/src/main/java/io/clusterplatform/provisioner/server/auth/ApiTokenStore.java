package io.clusterplatform.provisioner.server.auth;

import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Rows of {@code api_tokens}: name, public prefix and SHA-256 hash, never the token. */
@Repository
class ApiTokenStore {
    record StoredToken(ApiToken token, String hash) {}

    private final JdbcClient jdbc;

    ApiTokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String name, String prefix, String hash, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO api_tokens (name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?)")
                .params(name, prefix, hash, now.atOffset(ZoneOffset.UTC))
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    /** Inserts the one bootstrap row; a second insert fails with a duplicate key. */
    void claimBootstrap(Instant now) {
        jdbc.sql("INSERT INTO bootstrap_marker (id, created_at) VALUES (1, ?)")
                .param(now.atOffset(ZoneOffset.UTC))
                .update();
    }

    Optional<StoredToken> findByPrefix(String prefix) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE prefix = ?")
                .param(prefix)
                .query((rs, n) -> new StoredToken(map(rs, n), rs.getString("token_hash")))
                .optional();
    }

    boolean existsWithHash(String hash) {
        return jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?")
                        .param(hash)
                        .query(Long.class)
                        .single()
                > 0;
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM api_tokens").query(Long.class).single();
    }

    List<ApiToken> list() {
        return jdbc.sql("SELECT * FROM api_tokens ORDER BY id")
                .query(ApiTokenStore::map)
                .list();
    }

    Optional<ApiToken> find(long id) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE id = ?")
                .param(id)
                .query(ApiTokenStore::map)
                .optional();
    }

    boolean revoke(long id, Instant now) {
        return jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                        .params(now.atOffset(ZoneOffset.UTC), id)
                        .update()
                > 0;
    }

    void touch(long id, Instant now) {
        jdbc.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
                .params(now.atOffset(ZoneOffset.UTC), id)
                .update();
    }

    private static ApiToken map(ResultSet rs, int row) throws SQLException {
        return new ApiToken(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("prefix"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "last_used_at"),
                Rows.instant(rs, "revoked_at"));
    }
}
