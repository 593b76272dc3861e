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
        String token) {

    /** Everything but the token itself, which is shown once and never logged. */
    @Override
    public String toString() {
        return "CreatedJoinToken[id=" + id + ", networkId=" + networkId + ", prefix=" + prefix + ", role=" + role
                + ", uses=" + uses + ", expiresAt=" + expiresAt + "]";
    }
}
