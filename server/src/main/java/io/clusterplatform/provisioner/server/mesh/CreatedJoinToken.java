package io.clusterplatform.provisioner.server.mesh;

import java.time.Instant;

/** The answer to creating a join token: the only time the token itself is shown. */
public record CreatedJoinToken(
        long id,
        String networkId,
        String name,
        String prefix,
        String role,
        int uses,
        Instant createdAt,
        Instant expiresAt,
        String token) {}
