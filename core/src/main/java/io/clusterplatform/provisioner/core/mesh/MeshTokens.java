package io.clusterplatform.provisioner.core.mesh;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;

/**
 * The two secrets of a mesh, stored like operator tokens ({@link ApiTokens}): the server keeps the
 * first {@link ApiTokens#PREFIX_LENGTH} characters (the public prefix, to find the row and to name
 * the token in messages and lists) and the SHA-256 of the whole token. Their format is {@link
 * TokenKind}'s.
 *
 * <ul>
 *   <li>Join tokens, {@link TokenKind#MESH_JOIN}: created by an operator for one network, shown once,
 *       single-use by default; a host sends one with its public key to join.
 *   <li>Node tokens, {@link TokenKind#MESH_NODE}: handed to a node once in its join answer; the node's
 *       agent authenticates its peer-map polls, status reports and (a master) its kubeconfig upload
 *       with it. Removing the node deletes it.
 * </ul>
 */
public final class MeshTokens {
    private MeshTokens() {}

    public static String generateJoinToken() {
        return TokenKind.MESH_JOIN.generate();
    }

    public static String generateNodeToken() {
        return TokenKind.MESH_NODE.generate();
    }

    public static boolean looksLikeJoinToken(String token) {
        return TokenKind.MESH_JOIN.marks(token);
    }

    public static boolean looksLikeNodeToken(String token) {
        return TokenKind.MESH_NODE.marks(token);
    }
}
