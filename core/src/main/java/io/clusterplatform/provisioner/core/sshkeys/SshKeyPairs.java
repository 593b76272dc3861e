package io.clusterplatform.provisioner.core.sshkeys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Generates SSH key pairs in-process with Apache MINA SSHD (BouncyCastle underneath), in the sizes
 * of {@link SshKeyAlgorithm}: ECDSA P-256, Ed25519, RSA 3072. Nothing is stored or logged.
 */
public final class SshKeyPairs {
    private SshKeyPairs() {}

    public static GeneratedSshKeyPair generate(SshKeyAlgorithm algorithm) {
        KeyPair pair;
        try {
            pair = KeyUtils.generateKeyPair(algorithm.generatedKeyType(), algorithm.generatedBits());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an " + algorithm.id() + " key pair", e);
        }
        // Read back what was written: the same checks as for uploaded keys, and the fingerprint.
        ParsedSshKey parsed = SshKeys.parse(OpenSshPrivateKeys.write(pair));
        return new GeneratedSshKeyPair(algorithm, parsed.publicKey(), parsed.text(), parsed.fingerprint());
    }
}
