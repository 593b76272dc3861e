package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.auth.AgentTokenAuthenticator;
import io.clusterplatform.provisioner.server.storage.Rows;
import io.clusterplatform.provisioner.server.storage.StorableText;
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
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Enrollment tokens of distributors: created by operators (shown once), each bound to an artifactId,
 * stored as prefix + SHA-256 like operator tokens, revocable. Checks the bearer tokens of agents.
 */
@Service
public class DistributorTokenService implements AgentTokenAuthenticator {
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private record Stored(DistributorToken token, String hash) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    DistributorTokenService(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public CreatedDistributorToken create(String artifactId, String name) {
        if (artifactId == null || artifactId.isBlank()) {
            throw ProblemException.invalid("'artifactId' is required: the site tag the distributor serves");
        }
        if (!NodeAddresses.isArtifactId(artifactId)) {
            throw ProblemException.invalid(
                    "'artifactId' must be 1 to 253 letters, digits and . _ : -, got '" + artifactId + "'");
        }
        StorableText.require("name", name);
        if (name != null && name.length() > 200) {
            throw ProblemException.invalid("'name' must be at most 200 characters");
        }
        String token = TokenKind.DISTRIBUTOR.generate();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO distributor_tokens (artifact_id, name, prefix, token_hash, created_at)"
                        + " VALUES (?, ?, ?, ?, ?)")
                .params(
                        artifactId,
                        name,
                        ApiTokens.prefixOf(token),
                        ApiTokens.hash(token),
                        clock.instant().atOffset(ZoneOffset.UTC))
                .update(keys, "id");
        long id = keys.getKeyAs(Number.class).longValue();
        return new CreatedDistributorToken(id, artifactId, name, ApiTokens.prefixOf(token), token);
    }

    public List<DistributorToken> list() {
        return jdbc.sql("SELECT * FROM distributor_tokens ORDER BY id")
                .query(DistributorTokenService::map)
                .list();
    }

    @Transactional
    public DistributorToken revoke(long id) {
        jdbc.sql("UPDATE distributor_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .params(clock.instant().atOffset(ZoneOffset.UTC), id)
                .update();
        return jdbc.sql("SELECT * FROM distributor_tokens WHERE id = ?")
                .param(id)
                .query(DistributorTokenService::map)
                .optional()
                .orElseThrow(() -> ProblemException.notFound("distributor token " + id + " does not exist"));
    }

    /** The valid, unrevoked token that the presented string is. */
    public Optional<DistributorToken> check(String presented) {
        if (presented == null || presented.length() < ApiTokens.MIN_LENGTH) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM distributor_tokens WHERE prefix = ?")
                .param(ApiTokens.prefixOf(presented))
                .query((rs, n) -> new Stored(map(rs, n), rs.getString("token_hash")))
                .optional()
                .filter(stored -> ApiTokens.matches(presented, stored.hash()))
                .map(Stored::token)
                .filter(token -> !token.revoked())
                .map(this::touch);
    }

    @Override
    public TokenKind kind() {
        return TokenKind.DISTRIBUTOR;
    }

    @Override
    public Optional<Authentication> authenticate(String token) {
        return check(token).map(DistributorAuthentication::new);
    }

    @Override
    public String refusal() {
        return "the distributor token is unknown or revoked; create one with POST /api/distributors/tokens";
    }

    private DistributorToken touch(DistributorToken token) {
        Instant now = clock.instant();
        if (token.lastUsedAt() == null
                || token.lastUsedAt().plus(TOUCH_INTERVAL).isBefore(now)) {
            jdbc.sql("UPDATE distributor_tokens SET last_used_at = ? WHERE id = ?")
                    .params(now.atOffset(ZoneOffset.UTC), token.id())
                    .update();
        }
        return token;
    }

    private static DistributorToken map(ResultSet rs, int row) throws SQLException {
        return new DistributorToken(
                rs.getLong("id"),
                rs.getString("artifact_id"),
                rs.getString("name"),
                rs.getString("prefix"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "last_used_at"),
                Rows.instant(rs, "revoked_at"));
    }
}
