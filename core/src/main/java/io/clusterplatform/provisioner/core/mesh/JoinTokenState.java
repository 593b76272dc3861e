package io.clusterplatform.provisioner.core.mesh;

import java.time.Instant;
import java.util.Locale;

/**
 * Whether a join token still admits hosts. Revoked wins over expired, expired over used up, so the
 * refusal names the operator's deliberate act first.
 */
public enum JoinTokenState {
    ACTIVE,
    REVOKED,
    EXPIRED,
    USED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JoinTokenState of(Instant revokedAt, Instant expiresAt, int usesLeft, Instant now) {
        if (revokedAt != null) {
            return REVOKED;
        }
        if (!expiresAt.isAfter(now)) {
            return EXPIRED;
        }
        return usesLeft <= 0 ? USED : ACTIVE;
    }

    /**
     * What a refused host is told, e.g. "the join token cpm_abcdefgh expired at 2026-01-01T00:00:00Z:
     * ask the operator for a new one".
     */
    public String refusal(String prefix, Instant revokedAt, Instant expiresAt, int uses) {
        String token = "the join token " + prefix;
        String remedy = ": ask the operator for a new one (POST /api/mesh/networks/{networkId}/tokens)";
        return switch (this) {
            case ACTIVE -> throw new IllegalStateException("an active token is not refused");
            case REVOKED -> token + " was revoked at " + revokedAt + remedy;
            case EXPIRED -> token + " expired at " + expiresAt + remedy;
            case USED ->
                token
                        + (uses == 1
                                ? " has been used: it admits one host only"
                                : " has been used " + uses + " times, its limit")
                        + remedy;
        };
    }
}
