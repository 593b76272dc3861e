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
            String token = ApiTokens.generate();
            assertThat(token).matches("cpp_[a-z2-7]{8}_[a-z2-7]{40}");
            assertThat(ApiTokens.requireWellFormed(token, "token")).isEqualTo(token);
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void redactCutsEveryKindOfGeneratedTokenToItsPrefix() {
        String join = io.clusterplatform.provisioner.core.mesh.MeshTokens.generateJoinToken();
        String node = io.clusterplatform.provisioner.core.mesh.MeshTokens.generateNodeToken();
        String distributor = io.clusterplatform.provisioner.core.distributors.DistributorTokens.generate();
        String operator = ApiTokens.generate();
        String text = "agent.sh --token '" + join + "'\nnode=" + node + " " + distributor + "\n" + operator;

        String redacted = ApiTokens.redact(text);

        assertThat(redacted)
                .isEqualTo("agent.sh --token '" + ApiTokens.prefixOf(join) + "_…'\nnode=" + ApiTokens.prefixOf(node)
                        + "_… " + ApiTokens.prefixOf(distributor) + "_…\n" + ApiTokens.prefixOf(operator) + "_…");
        assertThat(ApiTokens.redact("no token here, cpp_short_one")).isEqualTo("no token here, cpp_short_one");
    }

    @Test
    void prefixIsTheFirstTwelveCharacters() {
        assertThat(ApiTokens.prefixOf("cpp_abcdefgh_rest")).isEqualTo("cpp_abcdefgh");
    }

    @Test
    void matchesOnlyTheSameToken() {
        String token = ApiTokens.generate();
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
