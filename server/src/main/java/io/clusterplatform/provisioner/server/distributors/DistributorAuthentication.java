package io.clusterplatform.provisioner.server.distributors;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The authentication of a request that carried a valid distributor enrollment token. */
public final class DistributorAuthentication extends AbstractAuthenticationToken {
    private final DistributorToken token;

    DistributorAuthentication(DistributorToken token) {
        super(List.of(new SimpleGrantedAuthority("ROLE_DISTRIBUTOR")));
        this.token = token;
        setAuthenticated(true);
    }

    public DistributorToken token() {
        return token;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return "distributor of " + token.artifactId() + " (" + token.prefix() + ")";
    }
}
