package io.clusterplatform.provisioner.server.auth;

import java.time.Instant;

/** An operator API token as listed: never the token itself, only its public prefix. */
public record ApiToken(long id, String name, String prefix, Instant createdAt, Instant lastUsedAt, Instant revokedAt)
        implements java.io.Serializable {

    public boolean revoked() {
        return revokedAt != null;
    }
}
