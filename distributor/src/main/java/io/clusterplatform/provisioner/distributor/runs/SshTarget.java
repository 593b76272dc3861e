package io.clusterplatform.provisioner.distributor.runs;

import java.util.Objects;

/**
 * Where and how to run a script over SSH.
 *
 * @param host the node's address or name
 * @param port its SSH port; 0 means 22
 * @param user who to log in as; null or blank means root
 * @param privateKey the private key to log in with: OpenSSH or unencrypted PEM text, read in memory
 *     only; never printed (see {@link #toString()})
 * @param pinnedHostKey the host key the node must present, as one OpenSSH line ({@code ssh-ed25519
 *     AAAA...}); null to accept the key it presents on this first use
 */
public record SshTarget(String host, int port, String user, String privateKey, String pinnedHostKey) {
    static final int DEFAULT_PORT = 22;
    static final String DEFAULT_USER = "root";

    public SshTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(privateKey, "privateKey");
        if (port == 0) {
            port = DEFAULT_PORT;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the SSH port must be 1 to 65535, not " + port);
        }
        if (user == null || user.isBlank()) {
            user = DEFAULT_USER;
        }
        if (pinnedHostKey != null && pinnedHostKey.isBlank()) {
            pinnedHostKey = null;
        }
    }

    /** {@code host:port}, with an IPv6 address in brackets: how messages name the node. */
    String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        // Never print the private key, e.g. in a log line or an assertion message.
        return "SshTarget[" + user + "@" + address() + (pinnedHostKey == null ? ", no pinned host key" : "") + "]";
    }
}
