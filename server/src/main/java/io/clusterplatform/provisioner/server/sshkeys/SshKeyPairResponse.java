package io.clusterplatform.provisioner.server.sshkeys;

import io.clusterplatform.provisioner.core.sshkeys.GeneratedSshKeyPair;

/**
 * The answer of {@code GET /api/sshkey}: a fresh key pair in OpenSSH formats.
 *
 * @param algorithm ecdsa, ed25519 or rsa
 * @param publicKey one {@code authorized_keys} line ending in a newline
 * @param privateKey {@code -----BEGIN OPENSSH PRIVATE KEY-----}, unencrypted
 * @param fingerprint {@code SHA256:...} as {@code ssh-keygen -l} prints it
 */
public record SshKeyPairResponse(String algorithm, String publicKey, String privateKey, String fingerprint) {
    static SshKeyPairResponse of(GeneratedSshKeyPair pair) {
        return new SshKeyPairResponse(pair.algorithm().id(), pair.publicKey(), pair.privateKey(), pair.fingerprint());
    }

    @Override
    public String toString() {
        return "SshKeyPairResponse[" + algorithm + ", " + fingerprint + "]";
    }
}
