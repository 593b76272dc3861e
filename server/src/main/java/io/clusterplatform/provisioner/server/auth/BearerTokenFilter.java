package io.clusterplatform.provisioner.server.auth;

import io.clusterplatform.provisioner.server.http.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <token>}. A valid token makes the request an operator's; a
 * token that is present but wrong or revoked is refused at once with 401, even on open endpoints, so
 * a mistyped token never looks like anonymous access.
 */
class BearerTokenFilter extends OncePerRequestFilter {
    private final ApiTokenService tokens;
    private final ProblemWriter problems;

    BearerTokenFilter(ApiTokenService tokens, ProblemWriter problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            problems.write(
                    request,
                    response,
                    401,
                    "Unauthorized",
                    "the Authorization header must be 'Bearer <operator token>'");
            return;
        }
        Optional<ApiToken> token = tokens.authenticate(header.substring(7).trim());
        if (token.isEmpty()) {
            problems.write(
                    request,
                    response,
                    401,
                    "Unauthorized",
                    "the operator token is unknown or revoked; create one with 'provisioner token create'");
            return;
        }
        SecurityContextHolder.getContext().setAuthentication(new OperatorAuthentication(token.get()));
        chain.doFilter(request, response);
    }
}
