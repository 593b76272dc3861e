package io.clusterplatform.provisioner.core.sshkeys;

/**
 * A key that {@link SshKeys#parse} understood and checked.
 *
 * @param format the text format it came in
 * @param algorithm ecdsa, ed25519 or rsa
 * @param keyType the OpenSSH key type, e.g. {@code ecdsa-sha2-nistp256}
 * @param bits the key size in bits (256 for Ed25519)
 * @param fingerprint the SHA-256 fingerprint as {@code ssh-keygen -l} prints it: {@code SHA256:...}
 *     (for a private key, the fingerprint of its public half)
 * @param publicKey the public half as one {@code authorized_keys} line without a comment, ending in a
 *     newline
 * @param text the key in normalised form, to store and serve: base64 padded and re-encoded, PEM
 *     lines wrapped (70 columns for OpenSSH private keys, 64 for PEM), ending in one newline; Ed25519
 *     keys sent as PKCS#8 come back as OpenSSH private keys, the only form OpenSSH reads them in
 */
public record ParsedSshKey(
        SshKeyFormat format,
        SshKeyAlgorithm algorithm,
        String keyType,
        int bits,
        String fingerprint,
        String publicKey,
        String text) {

    /** Whether this is a private key. */
    public boolean isPrivate() {
        return format.isPrivate();
    }

    @Override
    public String toString() {
        // Never print a private key's text, e.g. in a log line or an assertion message.
        return "ParsedSshKey[" + format + ", " + keyType + ", " + bits + " bits, " + fingerprint + "]";
    }
}
