package io.clusterplatform.provisioner.core.sshkeys;

/** The text formats of SSH keys that the provisioner accepts. */
public enum SshKeyFormat {
    /** One {@code authorized_keys} line: {@code ssh-ed25519 AAAA... comment}. */
    OPENSSH_PUBLIC(false),
    /** {@code -----BEGIN OPENSSH PRIVATE KEY-----}, what ssh-keygen writes since OpenSSH 7.8. */
    OPENSSH_PRIVATE(true),
    /** {@code -----BEGIN RSA PRIVATE KEY-----} (PKCS#1). */
    PEM_RSA(true),
    /** {@code -----BEGIN EC PRIVATE KEY-----} (SEC1). */
    PEM_EC(true),
    /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8, unencrypted). */
    PEM_PKCS8(true);

    private final boolean isPrivate;

    SshKeyFormat(boolean isPrivate) {
        this.isPrivate = isPrivate;
    }

    /** Whether keys in this format hold a private key. */
    public boolean isPrivate() {
        return isPrivate;
    }
}
