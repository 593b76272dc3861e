package io.clusterplatform.provisioner.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.testing.Clocks;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What {@link ApiTokenService} and {@link ApiTokenStore} promise, on every backend: each subclass
 * only names the backend. Every test starts with no tokens (not even the bootstrap one).
 */
abstract class ApiTokenStoreContract {
    private static final String GIVEN_TOKEN = "given-bootstrap-token-0123456789abcdef";

    private ApiTokenService tokens;
    private ApiTokenStore store;
    private JdbcClient jdbc;

    @BeforeEach
    void noTokens(StandaloneServer server) {
        tokens = server.bean(ApiTokenService.class);
        store = server.bean(ApiTokenStore.class);
        jdbc = server.bean(JdbcClient.class);
        jdbc.sql("DELETE FROM api_tokens").update();
        jdbc.sql("DELETE FROM bootstrap_marker").update();
    }

    @Test
    void replicasStartingTogetherCreateOneFirstToken() throws Exception {
        int replicas = 8;
        var start = new java.util.concurrent.CountDownLatch(1);
        var created = new java.util.concurrent.atomic.AtomicInteger();
        var refused = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(replicas)) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < replicas; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        if (tokens.createFirst("first operator").isPresent()) {
                            created.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (org.springframework.dao.DuplicateKeyException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var result : results) {
                result.get();
            }
        }
        assertThat(created.get()).isEqualTo(1);
        assertThat(refused.get()).isEqualTo(replicas - 1);
        assertThat(tokens.list()).hasSize(1);
        assertThat(tokens.createFirst("later")).as("a restart creates none").isEmpty();
    }

    @Test
    void aCreatedTokenAuthenticates() {
        CreatedApiToken created = tokens.create("laptop");

        assertThat(created.prefix()).isEqualTo(created.token().substring(0, ApiTokens.PREFIX_LENGTH));
        assertThat(tokens.authenticate(created.token())).hasValueSatisfying(token -> {
            assertThat(token.id()).isEqualTo(created.id());
            assertThat(token.name()).isEqualTo("laptop");
            assertThat(token.prefix()).isEqualTo(created.prefix());
            assertThat(token.revoked()).isFalse();
        });
    }

    @Test
    void storesOnlyThePrefixAndTheHashOfAToken() {
        CreatedApiToken created = tokens.create("laptop");

        Map<String, Object> row = jdbc.sql("SELECT prefix, token_hash FROM api_tokens WHERE id = ?")
                .param(created.id())
                .query()
                .singleRow();

        assertThat(row.get("prefix")).isEqualTo(created.prefix());
        assertThat(row.get("token_hash"))
                .isEqualTo(ApiTokens.hash(created.token()))
                .isNotEqualTo(created.token());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE name = ? OR prefix = ? OR token_hash = ?")
                        .params(created.token(), created.token(), created.token())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aWrongTokenDoesNotAuthenticate() {
        CreatedApiToken created = tokens.create("laptop");
        String token = created.token();
        String samePrefixOtherSecret = token.substring(0, token.length() - 1) + (token.endsWith("a") ? "b" : "a");

        assertThat(tokens.authenticate(samePrefixOtherSecret)).isEmpty();
        assertThat(tokens.authenticate(token + "a")).isEmpty();
        assertThat(tokens.authenticate(TokenKind.OPERATOR.generate())).isEmpty();
        assertThat(tokens.authenticate(token.substring(0, ApiTokens.MIN_LENGTH - 1)))
                .isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate(token)).isPresent();
    }

    @Test
    void aRevokedTokenNoLongerAuthenticates() {
        CreatedApiToken created = tokens.create("stolen laptop");
        CreatedApiToken other = tokens.create("desktop");

        ApiToken revoked = tokens.revoke(created.id());

        assertThat(revoked.revoked()).isTrue();
        assertThat(tokens.authenticate(created.token())).isEmpty();
        assertThat(tokens.authenticate(other.token())).isPresent();
        assertThat(tokens.list())
                .filteredOn(token -> token.id() == created.id())
                .singleElement()
                .satisfies(token -> assertThat(token.revokedAt()).isEqualTo(revoked.revokedAt()));
    }

    @Test
    void revokingAgainKeepsTheFirstRevocationTime() {
        CreatedApiToken created = tokens.create("laptop");
        Instant firstRevocation = tokens.revoke(created.id()).revokedAt();
        Clocks.awaitPast(firstRevocation);

        assertThat(tokens.revoke(created.id()).revokedAt()).isEqualTo(firstRevocation);
    }

    @Test
    void revokingAnUnknownTokenIsNotFound() {
        assertThatThrownBy(() -> tokens.revoke(424242))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void findsATokenByItsPrefix() {
        CreatedApiToken created = tokens.create("laptop");

        assertThat(store.findByPrefix(created.prefix())).hasValueSatisfying(stored -> {
            assertThat(stored.token().id()).isEqualTo(created.id());
            assertThat(stored.hash()).isEqualTo(ApiTokens.hash(created.token()));
        });
        assertThat(store.findByPrefix(ApiTokens.prefixOf(TokenKind.OPERATOR.generate())))
                .isEmpty();
    }

    @Test
    void theSchemaRefusesTwoTokensWithTheSamePrefix() {
        CreatedApiToken created = tokens.create("laptop");

        String otherHash = ApiTokens.hash("something else");

        assertThatThrownBy(() -> store.insert("copy", created.prefix(), otherHash, Instant.now()))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(tokens.list()).hasSize(1);
    }

    @Test
    void ensureStoresAGivenTokenOnlyOnce() {
        assertThat(tokens.ensure("bootstrap", GIVEN_TOKEN)).isTrue();
        assertThat(tokens.ensure("bootstrap", GIVEN_TOKEN)).isFalse();

        assertThat(tokens.list()).singleElement().satisfies(token -> {
            assertThat(token.name()).isEqualTo("bootstrap");
            assertThat(token.prefix()).isEqualTo(ApiTokens.prefixOf(GIVEN_TOKEN));
        });
        assertThat(tokens.authenticate(GIVEN_TOKEN)).isPresent();
    }

    @Test
    void ensureRefusesATokenWhosePrefixBelongsToAnother() {
        tokens.ensure("bootstrap", GIVEN_TOKEN);

        assertThatThrownBy(() -> tokens.ensure("other", ApiTokens.prefixOf(GIVEN_TOKEN) + "-a-different-secret"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(tokens.list()).hasSize(1);
    }

    @Test
    void authenticatingRecordsWhenATokenWasLastUsed() {
        CreatedApiToken created = tokens.create("laptop");
        assertThat(tokens.list())
                .singleElement()
                .satisfies(token -> assertThat(token.lastUsedAt()).isNull());

        tokens.authenticate(created.token());

        assertThat(tokens.list())
                .singleElement()
                .satisfies(token -> assertThat(token.lastUsedAt()).isNotNull().isAfterOrEqualTo(token.createdAt()));
    }

    @Test
    void listsTokensInCreationOrderAndKnowsWhetherAnyExist() {
        assertThat(tokens.anyExist()).isFalse();

        tokens.create("first");
        tokens.create("second");
        tokens.ensure("third", GIVEN_TOKEN);

        assertThat(tokens.anyExist()).isTrue();
        assertThat(tokens.list()).extracting(ApiToken::name).containsExactly("first", "second", "third");
    }

    @Test
    void refusesANameWithANulCharacterOnEveryBackend() {
        assertThatThrownBy(() -> tokens.create("lap\u0000top"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(tokens.anyExist()).isFalse();
    }
}
