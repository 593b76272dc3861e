package io.clusterplatform.provisioner.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WireguardKeysTest {
    /** A public key as wg pubkey printed it. */
    static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

    @Test
    void acceptsWhatWgPubkeyPrints() {
        assertThat(WireguardKeys.requirePublicKey("publicKey", KEY)).isEqualTo(KEY);
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String encoded = Base64.getEncoder().encodeToString(random);
        assertThat(WireguardKeys.requirePublicKey("publicKey", encoded)).isEqualTo(encoded);
    }

    @Test
    void refusesAnythingElseNamingTheField() {
        String zero = Base64.getEncoder().encodeToString(new byte[32]);
        String[] bad = {
            KEY.substring(1), // 43 characters
            KEY.replace('=', 'A'), // no padding
            Base64.getEncoder().encodeToString(new byte[33]),
            Base64.getUrlEncoder().encodeToString(new byte[] {
                -5, -1, -2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9
            }), // URL-safe alphabet
            KEY.substring(0, 42) + "B=", // stray low bits in the last character
            "not a key"
        };
        for (String key : bad) {
            assertThatThrownBy(() -> WireguardKeys.requirePublicKey("publicKey", key))
                    .as(key)
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("'publicKey' must be a WireGuard public key");
        }
        assertThatThrownBy(() -> WireguardKeys.requirePublicKey("publicKey", zero))
                .hasMessageContaining("all-zero");
        assertThatThrownBy(() -> WireguardKeys.requirePublicKey("publicKey", null))
                .hasMessageContaining("'publicKey' is required");
    }
}
