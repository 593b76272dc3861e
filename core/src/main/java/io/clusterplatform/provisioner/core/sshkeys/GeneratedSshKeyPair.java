package io.clusterplatform.provisioner.core.sshkeys;

/**
 * A fresh key pair in OpenSSH formats.
 *
 * @param algorithm what was asked for
 * @param publicKey one {@code authorized_keys} line (no comment), ending in a newline
 * @param privateKey {@code -----BEGIN OPENSSH PRIVATE KEY-----}, unencrypted, ending in a newline
 * @param fingerprint {@code SHA256:...} as {@code ssh-keygen -l} prints it
 */
public record GeneratedSshKeyPair(SshKeyAlgorithm algorithm, String publicKey, String privateKey, String fingerprint) {
    @Override
    public String toString() {
        return "GeneratedSshKeyPair[" + algorithm.id() + ", " + fingerprint + "]";
    }
}
