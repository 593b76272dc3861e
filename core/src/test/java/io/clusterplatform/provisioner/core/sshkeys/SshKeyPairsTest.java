package io.clusterplatform.provisioner.core.sshkeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.SshKeygen;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SshKeyPairsTest {

    @ParameterizedTest
    @CsvSource({"ECDSA, ecdsa-sha2-nistp256, 256", "ED25519, ssh-ed25519, 256", "RSA, ssh-rsa, 3072"})
    void generatesPairThatSshKeygenAccepts(SshKeyAlgorithm algorithm, String keyType, int bits) {
        GeneratedSshKeyPair pair = SshKeyPairs.generate(algorithm);

        assertThat(pair.algorithm()).isEqualTo(algorithm);
        assertThat(pair.publicKey())
                .startsWith(keyType + " AAAA")
                .endsWith("\n")
                .hasLineCount(1);
        assertThat(pair.privateKey())
                .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
                .endsWith("-----END OPENSSH PRIVATE KEY-----\n");
        // the real ssh-keygen reads the private key without a passphrase and derives our public key
        assertThat(SshKeygen.publicKeyOf(pair.privateKey())
                        .requireSuccess("-y")
                        .stdout()
                        .strip())
                .isEqualTo(pair.publicKey().strip());
        assertThat(SshKeygen.fingerprint(pair.privateKey())).isEqualTo(pair.fingerprint());
        assertThat(SshKeygen.fingerprint(pair.publicKey())).isEqualTo(pair.fingerprint());
        assertThat(SshKeygen.bits(pair.privateKey())).isEqualTo(bits);
    }

    @ParameterizedTest
    @EnumSource(SshKeyAlgorithm.class)
    void generatedKeysPassOurOwnChecks(SshKeyAlgorithm algorithm) {
        GeneratedSshKeyPair pair = SshKeyPairs.generate(algorithm);

        ParsedSshKey privateKey = SshKeys.parse(pair.privateKey(), true);
        ParsedSshKey publicKey = SshKeys.parse(pair.publicKey(), false);

        assertThat(privateKey.text()).isEqualTo(pair.privateKey());
        assertThat(publicKey.text()).isEqualTo(pair.publicKey());
        assertThat(privateKey.fingerprint()).isEqualTo(publicKey.fingerprint()).isEqualTo(pair.fingerprint());
    }

    @ParameterizedTest
    @EnumSource(SshKeyAlgorithm.class)
    void generatesNewKeyEachTime(SshKeyAlgorithm algorithm) {
        assertThat(SshKeyPairs.generate(algorithm).fingerprint())
                .isNotEqualTo(SshKeyPairs.generate(algorithm).fingerprint());
    }

    @ParameterizedTest
    @EnumSource(SshKeyAlgorithm.class)
    void describesPairWithoutPrivateKey(SshKeyAlgorithm algorithm) {
        GeneratedSshKeyPair pair = SshKeyPairs.generate(algorithm);

        assertThat(pair.toString()).contains(pair.fingerprint()).doesNotContain("PRIVATE");
    }
}
