package io.clusterplatform.provisioner.server.auth;

import java.util.Optional;
import org.springframework.security.core.Authentication;

/**
 * Checks bearer tokens that are not operator tokens (e.g. distributor enrollment tokens), recognised
 * by their marker. Implementations live with their feature; {@link BearerTokenFilter} asks them first.
 */
public interface AgentTokenAuthenticator {
    /** Whether the presented token is of this kind (by its marker); it may still be wrong. */
    boolean handles(String token);

    /** The authentication of a valid, unrevoked token, or empty. */
    Optional<Authentication> authenticate(String token);

    /** What a refusal says, e.g. "the distributor token is unknown or revoked". */
    String refusal();
}
