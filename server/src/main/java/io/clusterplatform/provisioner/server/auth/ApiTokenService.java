package io.clusterplatform.provisioner.server.auth;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.StorableText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, checks and revokes operator API tokens. */
@Service
public class ApiTokenService {
    /** How often the last-used time of a token is written, at most. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final ApiTokenStore store;
    private final Clock clock;

    ApiTokenService(ApiTokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Transactional
    public CreatedApiToken create(String name) {
        StorableText.require("name", name);
        String token = TokenKind.OPERATOR.generate();
        long id = store.insert(name, ApiTokens.prefixOf(token), ApiTokens.hash(token), clock.instant());
        return new CreatedApiToken(id, name, ApiTokens.prefixOf(token), token);
    }

    /** Stores a token given from outside (PROVISIONER_BOOTSTRAP_TOKEN) unless it is stored already. */
    @Transactional
    public boolean ensure(String name, String token) {
        StorableText.require("name", name);
        ApiTokens.requireWellFormed(token, "the bootstrap token");
        if (store.existsWithHash(ApiTokens.hash(token))) {
            return false;
        }
        if (store.findByPrefix(ApiTokens.prefixOf(token)).isPresent()) {
            throw ProblemException.conflict("another token starts with the same " + ApiTokens.PREFIX_LENGTH
                    + " characters as the bootstrap token; choose a different one");
        }
        store.insert(name, ApiTokens.prefixOf(token), ApiTokens.hash(token), clock.instant());
        return true;
    }

    /**
     * Creates the first operator token unless one exists. Several replicas starting together on one
     * database create one between them: the single row of {@code bootstrap_marker} admits one, and
     * the others get a {@link org.springframework.dao.DuplicateKeyException} (or find tokens).
     */
    @Transactional
    public Optional<CreatedApiToken> createFirst(String name) {
        if (anyExist()) {
            return Optional.empty();
        }
        store.claimBootstrap(clock.instant());
        return Optional.of(create(name));
    }

    public boolean anyExist() {
        return store.count() > 0;
    }

    /** The token that the presented string is, if it is a valid, unrevoked token. */
    public Optional<ApiToken> authenticate(String presented) {
        if (presented == null || presented.length() < ApiTokens.MIN_LENGTH) {
            return Optional.empty();
        }
        return store.findByPrefix(ApiTokens.prefixOf(presented))
                .filter(stored -> ApiTokens.matches(presented, stored.hash()))
                .map(ApiTokenStore.StoredToken::token)
                .filter(token -> !token.revoked())
                .map(this::touch);
    }

    /** Whether the token with this id exists and is not revoked (a dashboard session checks on each request). */
    public boolean isValid(long id) {
        return store.find(id).map(token -> !token.revoked()).orElse(false);
    }

    public List<ApiToken> list() {
        return store.list();
    }

    @Transactional
    public ApiToken revoke(long id) {
        ApiToken token = store.find(id).orElseThrow(() -> ProblemException.notFound("token " + id + " does not exist"));
        store.revoke(id, clock.instant());
        return store.find(id).orElse(token);
    }

    private ApiToken touch(ApiToken token) {
        Instant now = clock.instant();
        if (token.lastUsedAt() == null
                || token.lastUsedAt().plus(TOUCH_INTERVAL).isBefore(now)) {
            store.touch(token.id(), now);
        }
        return token;
    }
}
