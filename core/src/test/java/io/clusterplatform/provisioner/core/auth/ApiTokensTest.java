package io.clusterplatform.provisioner.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

    @Test
    void generatedTokensAreLongUniqueAndWellFormed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = TokenKind.OPERATOR.generate();
            assertThat(token).matches("cpp_[a-z2-7]{8}_[a-z2-7]{40}");
            assertThat(ApiTokens.requireWellFormed(token, "token")).isEqualTo(token);
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void redactCutsEveryKindOfGeneratedTokenToItsPrefix() {
        String join = TokenKind.MESH_JOIN.generate();
        String node = TokenKind.MESH_NODE.generate();
        String distributor = TokenKind.DISTRIBUTOR.generate();
        String operator = TokenKind.OPERATOR.generate();
        String text = "agent.sh --token '" + join + "'\nnode=" + node + " " + distributor + "\n" + operator;

        String redacted = TokenKind.redact(text);

        assertThat(redacted)
                .isEqualTo("agent.sh --token '" + ApiTokens.prefixOf(join) + "_…'\nnode=" + ApiTokens.prefixOf(node)
                        + "_… " + ApiTokens.prefixOf(distributor) + "_…\n" + ApiTokens.prefixOf(operator) + "_…");
        assertThat(TokenKind.redact("no token here, cpp_short_one")).isEqualTo("no token here, cpp_short_one");
    }

    @Test
    void prefixIsTheFirstTwelveCharacters() {
        assertThat(ApiTokens.prefixOf("cpp_abcdefgh_rest")).isEqualTo("cpp_abcdefgh");
    }

    @Test
    void matchesOnlyTheSameToken() {
        String token = TokenKind.OPERATOR.generate();
        String hash = ApiTokens.hash(token);
        assertThat(hash).hasSize(64).doesNotContain(token);
        assertThat(ApiTokens.matches(token, hash)).isTrue();
        assertThat(ApiTokens.matches(token + "x", hash)).isFalse();
    }

    @Test
    void rejectsShortOrStrangeBootstrapTokens() {
        assertThatThrownBy(() -> ApiTokens.requireWellFormed("short", "PROVISIONER_BOOTSTRAP_TOKEN"))
                .hasMessageStartingWith("PROVISIONER_BOOTSTRAP_TOKEN must be at least 24 characters");
        assertThatThrownBy(() -> ApiTokens.requireWellFormed("has spaces in it, which is odd", "t"))
                .hasMessageContaining("openssl rand");
    }
}
