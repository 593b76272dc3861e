package io.clusterplatform.provisioner.core.sshkeys;

import static io.clusterplatform.provisioner.core.sshkeys.SshKeyProblems.invalid;

import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * What the provisioner records about a public key (or the public half of a private key), computed
 * with Apache MINA SSHD so that it matches OpenSSH: the key type, algorithm, size, the SHA-256
 * fingerprint as {@code ssh-keygen -l} prints it, and the {@code authorized_keys} line.
 */
record PublicKeyFacts(SshKeyAlgorithm algorithm, String keyType, int bits, String fingerprint, String line) {
    /** OpenSSH refuses smaller RSA keys (RequiredRSASize) and larger ones (SSH_RSA_MAXIMUM_MODULUS_SIZE). */
    static final int MIN_RSA_BITS = 1024;

    static final int MAX_RSA_BITS = 16384;

    static PublicKeyFacts of(PublicKey key) {
        String keyType = KeyUtils.getKeyType(key);
        if (keyType == null) {
            throw unsupported(key.getAlgorithm());
        }
        SshKeyAlgorithm algorithm = SshKeyAlgorithm.ofKeyType(keyType).orElseThrow(() -> unsupported(keyType));
        int bits = algorithm == SshKeyAlgorithm.ED25519 ? 256 : KeyUtils.getKeySize(key);
        if (algorithm == SshKeyAlgorithm.RSA && (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS)) {
            throw invalid("RSA keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS
                    + " bits (OpenSSH refuses others); this one has " + bits);
        }
        String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
        return new PublicKeyFacts(algorithm, keyType, bits, fingerprint, PublicKeyEntry.toString(key) + "\n");
    }

    static RuntimeException unsupported(String keyType) {
        return invalid("'" + keyType + "' keys are not supported; supported algorithms: "
                + SshKeyAlgorithm.supported() + " (OpenSSH key types ssh-ed25519, ecdsa-sha2-nistp256,"
                + " ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa)");
    }
}
