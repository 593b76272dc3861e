package io.clusterplatform.provisioner.core.sshkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;

class SshKeyAlgorithmTest {

    @Test
    void parsesApiNamesIgnoringCase() {
        assertThat(SshKeyAlgorithm.parse("ecdsa")).isEqualTo(SshKeyAlgorithm.ECDSA);
        assertThat(SshKeyAlgorithm.parse("Ed25519")).isEqualTo(SshKeyAlgorithm.ED25519);
        assertThat(SshKeyAlgorithm.parse(" RSA ")).isEqualTo(SshKeyAlgorithm.RSA);
    }

    @Test
    void rejectsUnknownAlgorithmListingSupportedOnes() {
        assertThatThrownBy(() -> SshKeyAlgorithm.parse("dsa"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.detail())
                            .isEqualTo("unknown SSH key algorithm 'dsa'; supported algorithms: ecdsa, ed25519, rsa");
                });
    }

    @Test
    void mapsOpenSshKeyTypesToAlgorithms() {
        assertThat(SshKeyAlgorithm.ofKeyType("ecdsa-sha2-nistp521")).contains(SshKeyAlgorithm.ECDSA);
        assertThat(SshKeyAlgorithm.ofKeyType("ssh-ed25519")).contains(SshKeyAlgorithm.ED25519);
        assertThat(SshKeyAlgorithm.ofKeyType("ssh-rsa")).contains(SshKeyAlgorithm.RSA);
        assertThat(SshKeyAlgorithm.ofKeyType("ssh-dss")).isEmpty();
    }
}
