package io.clusterplatform.provisioner.server.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a dashboard session whose operator token was revoked (or deleted) since the login, or whose
 * login is older than the session's lifetime: an open tab's live parts ask every few seconds, so the
 * servlet container's idle timeout alone would never end it. The session is invalidated and the
 * request goes on as anonymous, so it is sent to the login page. Static assets are not checked.
 */
class DashboardSessionFilter extends OncePerRequestFilter {
    /** The session attribute holding the login's instant. */
    static final String LOGGED_IN_AT = DashboardSessionFilter.class.getName() + ".loggedInAt";
    /** The request attribute set when this filter ended the request's session. */
    static final String ENDED = DashboardSessionFilter.class.getName() + ".ended";

    private final ApiTokenService tokens;
    private final Duration lifetime;
    private final Clock clock;

    DashboardSessionFilter(ApiTokenService tokens, Duration lifetime, Clock clock) {
        this.tokens = tokens;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/ui/assets/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof OperatorAuthentication operator) {
            HttpSession session = request.getSession(false);
            Object loggedInAt = session == null ? null : session.getAttribute(LOGGED_IN_AT);
            boolean tooOld =
                    !(loggedInAt instanceof Instant at) || at.plus(lifetime).isBefore(clock.instant());
            if (tooOld || !tokens.isValid(operator.tokenId())) {
                SecurityContextHolder.clearContext();
                if (session != null) {
                    session.invalidate();
                }
                request.setAttribute(ENDED, Boolean.TRUE);
            }
        }
        chain.doFilter(request, response);
    }
}
