package io.clusterplatform.provisioner.core.distributors;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import java.security.SecureRandom;

/**
 * Enrollment tokens of distributors: {@code cpd_} + 8 random characters (the rest of the public
 * prefix) + {@code _} + 40 random. Stored like operator tokens ({@link ApiTokens}): the first {@link
 * ApiTokens#PREFIX_LENGTH} characters to find the row and the SHA-256 of the whole token.
 */
public final class DistributorTokens {
    public static final String MARKER = "cpd_";
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private DistributorTokens() {}

    public static String generate() {
        return MARKER + random(8) + "_" + random(40);
    }

    /** Whether a presented bearer token is meant as a distributor token (it may still be wrong). */
    public static boolean looksLikeOne(String token) {
        return token != null && token.startsWith(MARKER);
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
