package io.clusterplatform.provisioner.server.distributors;

import java.time.Instant;

/** A distributor enrollment token as listed: never the token itself, only its public prefix. */
public record DistributorToken(
        long id,
        String artifactId,
        String name,
        String prefix,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
