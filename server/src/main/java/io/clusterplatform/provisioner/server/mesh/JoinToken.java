package io.clusterplatform.provisioner.server.mesh;

import java.time.Instant;

/**
 * A join token as listed: never the token itself, only its public prefix.
 *
 * @param role what it makes a joining node: auto, master, worker or bridge
 * @param uses how many hosts it admits in all
 * @param usesLeft how many more it admits
 * @param state active, revoked, expired or used (revoked wins over expired, expired over used)
 */
public record JoinToken(
        long id,
        String networkId,
        String name,
        String prefix,
        String role,
        int uses,
        int usesLeft,
        String state,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt) {}
