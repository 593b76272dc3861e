package io.clusterplatform.provisioner.server.auth;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling: an operator with a valid token, or an anonymous (booting) host. */
public final class Operators {
    private Operators() {}

    public static boolean isAuthenticated() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof OperatorAuthentication && auth.isAuthenticated();
    }
}
