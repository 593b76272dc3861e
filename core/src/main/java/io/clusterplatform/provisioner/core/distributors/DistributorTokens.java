package io.clusterplatform.provisioner.core.distributors;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;

/**
 * Enrollment tokens of distributors, {@link TokenKind#DISTRIBUTOR}. Stored like operator tokens
 * ({@link ApiTokens}): the first {@link ApiTokens#PREFIX_LENGTH} characters to find the row and the
 * SHA-256 of the whole token.
 */
public final class DistributorTokens {
    private DistributorTokens() {}

    public static String generate() {
        return TokenKind.DISTRIBUTOR.generate();
    }

    /** Whether a presented bearer token is meant as a distributor token (it may still be wrong). */
    public static boolean looksLikeOne(String token) {
        return TokenKind.DISTRIBUTOR.marks(token);
    }
}
