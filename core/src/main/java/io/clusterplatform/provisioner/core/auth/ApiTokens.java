package io.clusterplatform.provisioner.core.auth;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The rules for operator API tokens. A token is shown once; the server keeps only its public prefix
 * (the first {@value #PREFIX_LENGTH} characters, used to find the row) and the SHA-256 of the whole
 * token, compared in constant time.
 */
public final class ApiTokens {
    public static final int PREFIX_LENGTH = 12;
    public static final int MIN_LENGTH = 24;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._~+/=-]+");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern GENERATED = Pattern.compile("\\b(cp[a-z]_[a-z2-7]{8})_[a-z2-7]{40}\\b");

    private ApiTokens() {}

    /** A fresh token: {@code cpp_} + 8 random characters (the rest of the prefix) + {@code _} + 40 random. */
    public static String generate() {
        return "cpp_" + random(8) + "_" + random(40);
    }

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

    /**
     * The text with every generated token in it ({@code cp?_} + 8 + {@code _} + 40 characters, operator,
     * distributor, mesh join and node tokens alike) cut to its public prefix: {@code cpm_b6dkuxh5_…}.
     * For showing texts that carry a token, e.g. the script of a localnode's mesh join.
     */
    public static String redact(String text) {
        return text == null ? null : GENERATED.matcher(text).replaceAll("$1_…");
    }

    public static String prefixOf(String token) {
        return token.substring(0, Math.min(PREFIX_LENGTH, token.length()));
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

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
