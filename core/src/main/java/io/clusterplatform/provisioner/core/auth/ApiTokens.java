package io.clusterplatform.provisioner.core.auth;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The rules for operator API tokens, and how every token is stored, whatever its {@link TokenKind}. A
 * token is shown once; the server keeps only its public prefix (the first {@value #PREFIX_LENGTH}
 * characters, used to find the row) and the SHA-256 of the whole token, compared in constant time.
 */
public final class ApiTokens {
    public static final int PREFIX_LENGTH = TokenKind.PUBLIC_PREFIX_LENGTH;
    public static final int MIN_LENGTH = 24;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._~+/=-]+");

    private ApiTokens() {}

    /** Checks a token given from outside (e.g. PROVISIONER_BOOTSTRAP_TOKEN) for length and alphabet. */
    public static String requireWellFormed(String token, String source) {
        if (token == null
                || token.length() < MIN_LENGTH
                || !ALLOWED.matcher(token).matches()) {
            throw ProblemException.invalid(source + " must be at least " + MIN_LENGTH
                    + " characters of letters, digits and ._~+/=- (generate one with: openssl rand -hex 24)");
        }
        return token;
    }

    /** {@link TokenKind#publicPrefix}: the part of a token that is stored to find its row. */
    public static String prefixOf(String token) {
        return TokenKind.publicPrefix(token);
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Compares a presented token with a stored hash without leaking timing. */
    public static boolean matches(String token, String storedHash) {
        return MessageDigest.isEqual(
                hash(token).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
