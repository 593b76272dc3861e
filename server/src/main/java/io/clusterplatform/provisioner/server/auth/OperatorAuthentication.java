package io.clusterplatform.provisioner.server.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The authentication of a request that carried a valid operator token. */
final class OperatorAuthentication extends AbstractAuthenticationToken {
    private final ApiToken token;

    OperatorAuthentication(ApiToken token) {
        super(List.of(new SimpleGrantedAuthority("ROLE_OPERATOR")));
        this.token = token;
        setAuthenticated(true);
    }

    /** The id of the token this operator presented, so a dashboard session ends when it is revoked. */
    long tokenId() {
        return token.id();
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return token.name() + " (" + token.prefix() + ")";
    }
}
