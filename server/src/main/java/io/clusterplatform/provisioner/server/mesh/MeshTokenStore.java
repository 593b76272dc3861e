package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.core.mesh.JoinTokenState;
import io.clusterplatform.provisioner.core.mesh.TokenRole;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Join tokens of mesh networks: created by operators (shown once), stored as public prefix +
 * SHA-256, single-use or reusable up to a limit, expiring, revocable. A join takes one use
 * atomically ({@link #consume}).
 */
@Repository
public class MeshTokenStore {
    private static final String SELECT =
            "SELECT t.*, w.network_id FROM mesh_join_tokens t JOIN mesh_networks w ON w.id = t.network_pk";

    /** A stored token with what a join needs to check it. */
    public record Stored(JoinToken token, long networkPk, String hash) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    MeshTokenStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public CreatedJoinToken create(MeshNetwork network, String name, TokenRole role, int uses, Duration lifetime) {
        String token = TokenKind.MESH_JOIN.generate();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO mesh_join_tokens (network_pk, name, role, prefix, token_hash, uses, uses_left,"
                        + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        network.pk(),
                        name,
                        role.wireName(),
                        ApiTokens.prefixOf(token),
                        ApiTokens.hash(token),
                        uses,
                        uses,
                        now.atOffset(ZoneOffset.UTC),
                        expiresAt.atOffset(ZoneOffset.UTC))
                .update(keys, "id");
        JoinToken stored = get(network, keys.getKeyAs(Number.class).longValue());
        return new CreatedJoinToken(
                stored.id(),
                network.networkId(),
                name,
                stored.prefix(),
                stored.role(),
                uses,
                stored.createdAt(),
                stored.expiresAt(),
                token);
    }

    public List<JoinToken> list(MeshNetwork network) {
        return jdbc.sql(SELECT + " WHERE t.network_pk = ? ORDER BY t.id")
                .param(network.pk())
                .query(this::map)
                .list();
    }

    public JoinToken get(MeshNetwork network, long id) {
        return jdbc.sql(SELECT + " WHERE t.network_pk = ? AND t.id = ?")
                .params(network.pk(), id)
                .query(this::map)
                .optional()
                .orElseThrow(() -> ProblemException.notFound(
                        "mesh network '" + network.networkId() + "' has no join token " + id));
    }

    /** Revokes the token (once; revoking again keeps the first time) and returns it. */
    @Transactional
    public JoinToken revoke(MeshNetwork network, long id) {
        jdbc.sql("UPDATE mesh_join_tokens SET revoked_at = ? WHERE network_pk = ? AND id = ? AND revoked_at IS NULL")
                .params(clock.instant().atOffset(ZoneOffset.UTC), network.pk(), id)
                .update();
        return get(network, id);
    }

    /** The stored token that the presented string is (prefix and SHA-256 match), whatever its state. */
    public Optional<Stored> find(String presented) {
        if (presented == null || presented.length() < ApiTokens.MIN_LENGTH) {
            return Optional.empty();
        }
        return jdbc.sql(SELECT + " WHERE t.prefix = ?")
                .param(ApiTokens.prefixOf(presented))
                .query(this::stored)
                .optional()
                .filter(stored -> ApiTokens.matches(presented, stored.hash()));
    }

    /**
     * Takes one use of the token if it is unrevoked, unexpired and not used up, in the caller's
     * transaction: a single conditional UPDATE, so of many concurrent joins exactly as many succeed
     * as the token has uses left. Returns whether a use was taken.
     */
    public boolean consume(long id) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        return jdbc.sql("UPDATE mesh_join_tokens SET uses_left = uses_left - 1, last_used_at = ?"
                                + " WHERE id = ? AND uses_left > 0 AND revoked_at IS NULL AND expires_at > ?")
                        .params(now, id, now)
                        .update()
                == 1;
    }

    /** The refusal of a token that {@link #consume} did not take a use of, read back as it is now. */
    public ProblemException refusal(long id, String prefix) {
        Optional<Stored> now = jdbc.sql(SELECT + " WHERE t.id = ?")
                .param(id)
                .query(this::stored)
                .optional();
        if (now.isEmpty()) {
            return unknown();
        }
        JoinToken token = now.get().token();
        JoinTokenState state =
                JoinTokenState.of(token.revokedAt(), token.expiresAt(), token.usesLeft(), clock.instant());
        if (state == JoinTokenState.ACTIVE) {
            // Taken between the UPDATE and this read: the last use went to a concurrent join.
            state = JoinTokenState.USED;
        }
        return new ProblemException(
                403, "Forbidden", state.refusal(prefix, token.revokedAt(), token.expiresAt(), token.uses()));
    }

    private Stored stored(ResultSet rs, int row) throws SQLException {
        return new Stored(map(rs, row), rs.getLong("network_pk"), rs.getString("token_hash"));
    }

    static ProblemException unknown() {
        return new ProblemException(
                401,
                "Unauthorized",
                "the join token is unknown: check that it was copied whole (" + TokenKind.MESH_JOIN.marker() + " and "
                        + (TokenKind.LENGTH - TokenKind.MESH_JOIN.marker().length())
                        + " more characters), or ask the operator for a new one"
                        + " (POST /api/mesh/networks/{networkId}/tokens)");
    }

    private JoinToken map(ResultSet rs, int row) throws SQLException {
        Instant revokedAt = Rows.instant(rs, "revoked_at");
        Instant expiresAt = Rows.instant(rs, "expires_at");
        int usesLeft = rs.getInt("uses_left");
        return new JoinToken(
                rs.getLong("id"),
                rs.getString("network_id"),
                rs.getString("name"),
                rs.getString("prefix"),
                rs.getString("role"),
                rs.getInt("uses"),
                usesLeft,
                JoinTokenState.of(revokedAt, expiresAt, usesLeft, clock.instant())
                        .wireName(),
                Rows.instant(rs, "created_at"),
                expiresAt,
                Rows.instant(rs, "last_used_at"),
                revokedAt);
    }
}
