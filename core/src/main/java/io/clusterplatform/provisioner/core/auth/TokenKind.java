package io.clusterplatform.provisioner.core.auth;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The kinds of token the server issues, told apart by their marker. Every kind has the same format,
 * {@code marker} + 8 random characters + {@code _} + 40 random characters, 53 in all, of the alphabet
 * {@code a-z2-7} (base32 in lower case, 5 bits a character):
 *
 * <pre>
 * cpm_b6dkuxh5_3pbu6a...   public prefix: cpm_b6dkuxh5 (the marker and the 8 after it)
 * </pre>
 *
 * The server keeps only a token's public prefix (the first {@value #PUBLIC_PREFIX_LENGTH} characters,
 * to find its row and to name it in lists and messages) and the SHA-256 of the whole token ({@link
 * ApiTokens}). A token is shown once, at its creation; texts shown again that carry one have it cut to
 * its public prefix ({@link #redact}).
 *
 * <p>An operator token may also be given from outside (PROVISIONER_BOOTSTRAP_TOKEN) in any shape
 * {@link ApiTokens#requireWellFormed} accepts: such a token has no marker, is of no kind, and is
 * checked as an operator's.
 */
public enum TokenKind {
    /** Operator API tokens: the whole API and the CLI ({@code provisioner token create}). */
    OPERATOR("cpp_"),
    /** Enrollment tokens of distributors: one site's agent, bound to its artifactId. */
    DISTRIBUTOR("cpd_"),
    /**
     * Join tokens of a mesh network: created by an operator, single-use by default; a host sends one
     * with its public key in the body of a join, never as a bearer token.
     */
    MESH_JOIN("cpm_"),
    /** Node tokens: handed to a mesh node once in its join answer; its agent's bearer token. */
    MESH_NODE("cpn_");

    /** How long a token's public prefix is: its marker (4) and the 8 random characters after it. */
    public static final int PUBLIC_PREFIX_LENGTH = 12;

    /** How long every generated token is: the public prefix, {@code _} and 40 random characters. */
    public static final int LENGTH = 53;

    private static final int RANDOM_PREFIX_LENGTH = 8;
    private static final int SECRET_LENGTH = 40;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PUBLIC_PREFIX =
            Arrays.stream(values()).map(TokenKind::marker).collect(Collectors.joining("|", "(?:", ")")) + "[a-z2-7]{"
                    + RANDOM_PREFIX_LENGTH + "}";
    private static final String SECRET = "_[a-z2-7]{" + SECRET_LENGTH + "}";
    private static final Pattern WELL_FORMED = Pattern.compile(PUBLIC_PREFIX + SECRET);
    private static final Pattern IN_TEXT = Pattern.compile("\\b(" + PUBLIC_PREFIX + ")" + SECRET + "\\b");

    private final String marker;

    TokenKind(String marker) {
        this.marker = marker;
    }

    /** What a token of this kind starts with, e.g. {@code cpm_}. */
    public String marker() {
        return marker;
    }

    /** The kind's tokens as a message names them, e.g. {@code cpm_...}. */
    public String placeholder() {
        return marker + "...";
    }

    /** A fresh token of this kind: the marker, 8 random characters, {@code _}, 40 random characters. */
    public String generate() {
        return marker + random(RANDOM_PREFIX_LENGTH) + "_" + random(SECRET_LENGTH);
    }

    /**
     * Whether a presented token is meant as one of this kind: it starts with the marker. It may still
     * be malformed, unknown or revoked; only its store can tell.
     */
    public boolean marks(String token) {
        return token != null && token.startsWith(marker);
    }

    /** The kind whose marker the presented token starts with, if any: whose check it is meant for. */
    public static Optional<TokenKind> markedOn(String token) {
        return Arrays.stream(values()).filter(kind -> kind.marks(token)).findFirst();
    }

    /**
     * The kind of a token in the format this server generates (marker, 8, {@code _}, 40, all of
     * {@code a-z2-7}); empty for anything else, including a bootstrap token of another shape.
     */
    public static Optional<TokenKind> parse(String token) {
        if (token == null || !WELL_FORMED.matcher(token).matches()) {
            return Optional.empty();
        }
        return markedOn(token);
    }

    /** Whether the token is one of this kind in the generated format. */
    public boolean isWellFormed(String token) {
        return parse(token).filter(this::equals).isPresent();
    }

    /**
     * The first {@value #PUBLIC_PREFIX_LENGTH} characters of a token (all of a shorter one): what is
     * stored to find its row, and may be shown.
     */
    public static String publicPrefix(String token) {
        return token.substring(0, Math.min(PUBLIC_PREFIX_LENGTH, token.length()));
    }

    /**
     * The text with every generated token in it, of any kind, cut to its public prefix and {@code _…}:
     * {@code cpm_b6dkuxh5_…}. For showing texts that carry a token, e.g. the script of a localnode's
     * mesh join.
     */
    public static String redact(String text) {
        return text == null ? null : IN_TEXT.matcher(text).replaceAll("$1_…");
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
