package io.clusterplatform.provisioner.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenKindTest {
    private static final String FORTY = "abcdefghijklmnopqrstuvwxyz234567abcdefgh";

    @Test
    void eachKindHasItsOwnMarker() {
        assertThat(TokenKind.OPERATOR.marker()).isEqualTo("cpp_");
        assertThat(TokenKind.DISTRIBUTOR.marker()).isEqualTo("cpd_");
        assertThat(TokenKind.MESH_JOIN.marker()).isEqualTo("cpm_");
        assertThat(TokenKind.MESH_NODE.marker()).isEqualTo("cpn_");
        assertThat(TokenKind.MESH_JOIN.placeholder()).isEqualTo("cpm_...");
        assertThat(Arrays.stream(TokenKind.values()).map(TokenKind::marker)).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(TokenKind.class)
    void generatedTokensParseBackToTheirKindAndNoOther(TokenKind kind) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String token = kind.generate();
            assertThat(token)
                    .matches(kind.marker() + "[a-z2-7]{8}_[a-z2-7]{40}")
                    .hasSize(TokenKind.LENGTH)
                    .hasSize(53);
            assertThat(TokenKind.parse(token)).contains(kind);
            assertThat(TokenKind.markedOn(token)).contains(kind);
            assertThat(kind.isWellFormed(token)).isTrue();
            assertThat(kind.marks(token)).isTrue();
            for (TokenKind other : TokenKind.values()) {
                if (other != kind) {
                    assertThat(other.isWellFormed(token))
                            .as(other + " of " + token)
                            .isFalse();
                    assertThat(other.marks(token)).as(other + " of " + token).isFalse();
                }
            }
            assertThat(ApiTokens.requireWellFormed(token, "token")).isEqualTo(token);
            assertThat(seen.add(token)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TokenKind.class)
    void redactionShowsOnlyThePublicPrefix(TokenKind kind) {
        String token = kind.generate();
        String publicPrefix = TokenKind.publicPrefix(token);
        String secret = token.substring(TokenKind.PUBLIC_PREFIX_LENGTH + 1);

        String redacted = TokenKind.redact("run --token '" + token + "'\nand " + token + ".");

        assertThat(publicPrefix).hasSize(12).startsWith(kind.marker()).isEqualTo(token.substring(0, 12));
        assertThat(secret).hasSize(40);
        assertThat(redacted)
                .isEqualTo("run --token '" + publicPrefix + "_…'\nand " + publicPrefix + "_….")
                .doesNotContain(secret);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "cpp_",
                "cpp_short_one",
                "cpx_abcdefgh_" + FORTY, // no such kind
                "cpp_ABCDEFGH_" + FORTY, // upper case
                "cpp_abcdefg1_" + FORTY, // 1 is not in the alphabet
                "cpp_abcdefgh_" + FORTY + "a", // too long
                "cpp_abcdefgh_" + "abcdefghijklmnopqrstuvwxyz234567abcdefg", // too short
                "cpp_abcdefgh-" + FORTY, // wrong separator
                "cpp_abcdefgh_" + FORTY + "\n",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c", // a bootstrap token (openssl rand -hex 24)
            })
    void garbageIsOfNoKindAndIsNotRedacted(String text) {
        assertThat(TokenKind.parse(text)).isEmpty();
        for (TokenKind kind : TokenKind.values()) {
            assertThat(kind.isWellFormed(text)).as(kind.name()).isFalse();
        }
        if (!text.endsWith("\n")) {
            assertThat(TokenKind.redact("before " + text + " after")).isEqualTo("before " + text + " after");
        }
    }

    @Test
    void aMarkerAloneSaysWhichCheckAPresentedTokenIsFor() {
        assertThat(TokenKind.markedOn("cpn_x")).contains(TokenKind.MESH_NODE);
        assertThat(TokenKind.parse("cpn_x")).isEmpty();
        assertThat(TokenKind.markedOn("cpd_token")).contains(TokenKind.DISTRIBUTOR);
        assertThat(TokenKind.markedOn("9f86d081884c7d659a2feaa0c55ad015")).isEmpty();
        assertThat(TokenKind.markedOn("CPN_abcdefgh_" + FORTY)).isEmpty();
        assertThat(TokenKind.markedOn(null)).isEqualTo(Optional.empty());
        assertThat(TokenKind.parse(null)).isEmpty();
        assertThat(TokenKind.MESH_JOIN.marks(null)).isFalse();
    }

    @Test
    void redactionLeavesTextWithoutTokensAlone() {
        assertThat(TokenKind.redact(null)).isNull();
        assertThat(TokenKind.redact("")).isEmpty();
        assertThat(TokenKind.redact("no token here")).isEqualTo("no token here");
    }

    @Test
    void thePublicPrefixOfAShortTokenIsAllOfIt() {
        assertThat(TokenKind.publicPrefix("cpp_abcdefgh_rest")).isEqualTo("cpp_abcdefgh");
        assertThat(TokenKind.publicPrefix("short")).isEqualTo("short");
    }
}
