package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.server.auth.AgentTokenAuthenticator;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Checks the bearer tokens of mesh nodes ({@link TokenKind#MESH_NODE}): the token leads to its node
 * by the public prefix and must match the stored SHA-256. A removed node's row is gone, and with it
 * the token, so a removed node is refused from its next request on.
 */
@Component
class MeshNodeTokens implements AgentTokenAuthenticator {
    private final MeshNodeStore nodes;

    MeshNodeTokens(MeshNodeStore nodes) {
        this.nodes = nodes;
    }

    @Override
    public TokenKind kind() {
        return TokenKind.MESH_NODE;
    }

    @Override
    public Optional<Authentication> authenticate(String token) {
        if (token.length() < ApiTokens.MIN_LENGTH) {
            return Optional.empty();
        }
        return nodes.credentials(ApiTokens.prefixOf(token))
                .filter(credentials -> ApiTokens.matches(token, credentials.tokenHash()))
                .map(credentials -> new MeshNodeAuthentication(
                        credentials.nodeId(), credentials.networkPk(), credentials.networkId(), credentials.role()));
    }

    @Override
    public String refusal() {
        return "the mesh node token is unknown, or its node was removed from the network (or the network deleted):"
                + " join again with a new join token";
    }

    /** Join tokens are not bearer tokens: this explains it instead of calling them unknown operator tokens. */
    @Component
    static class JoinTokensAreNotBearerTokens implements AgentTokenAuthenticator {
        @Override
        public TokenKind kind() {
            return TokenKind.MESH_JOIN;
        }

        @Override
        public Optional<Authentication> authenticate(String token) {
            return Optional.empty();
        }

        @Override
        public String refusal() {
            return "a join token is not sent as a bearer token: send it in the body of POST /api/mesh/join,"
                    + " {\"token\": \"" + TokenKind.MESH_JOIN.placeholder()
                    + "\", \"publicKey\": \"...\", \"hostname\": \"...\"}";
        }
    }
}
