package io.clusterplatform.provisioner.core.mesh;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import java.security.SecureRandom;

/**
 * The two secrets of a mesh, stored like operator tokens ({@link ApiTokens}): the server keeps the
 * first {@link ApiTokens#PREFIX_LENGTH} characters (the public prefix, to find the row and to name
 * the token in messages and lists) and the SHA-256 of the whole token.
 *
 * <ul>
 *   <li>Join tokens, {@code cpm_} + 8 + {@code _} + 40 random characters: created by an operator for
 *       one network, shown once, single-use by default; a host sends one with its public key to join.
 *   <li>Node tokens, {@code cpn_} + 8 + {@code _} + 40: handed to a node once in its join answer; the
 *       node's agent authenticates its peer-map polls, status reports and (a master) its kubeconfig
 *       upload with it. Removing the node deletes it.
 * </ul>
 */
public final class MeshTokens {
    public static final String JOIN_MARKER = "cpm_";
    public static final String NODE_MARKER = "cpn_";
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private MeshTokens() {}

    public static String generateJoinToken() {
        return JOIN_MARKER + random(8) + "_" + random(40);
    }

    public static String generateNodeToken() {
        return NODE_MARKER + random(8) + "_" + random(40);
    }

    public static boolean looksLikeJoinToken(String token) {
        return token != null && token.startsWith(JOIN_MARKER);
    }

    public static boolean looksLikeNodeToken(String token) {
        return token != null && token.startsWith(NODE_MARKER);
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
