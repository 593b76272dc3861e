package io.clusterplatform.provisioner.server.auth;

import io.clusterplatform.provisioner.core.auth.TokenKind;
import java.util.Optional;
import org.springframework.security.core.Authentication;

/**
 * Checks bearer tokens that are not operator tokens (e.g. distributor enrollment tokens), recognised
 * by the marker of their {@link TokenKind}. Implementations live with their feature; {@link
 * BearerTokenFilter} asks them first.
 */
public interface AgentTokenAuthenticator {
    /** The kind of token this checks: a presented token with its marker is this one's to check. */
    TokenKind kind();

    /** The authentication of a valid, unrevoked token, or empty. */
    Optional<Authentication> authenticate(String token);

    /** What a refusal says, e.g. "the distributor token is unknown or revoked". */
    String refusal();
}
