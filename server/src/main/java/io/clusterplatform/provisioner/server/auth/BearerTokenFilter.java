package io.clusterplatform.provisioner.server.auth;

import io.clusterplatform.provisioner.server.http.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <token>}. A valid token makes the request an operator's; a
 * token that is present but wrong or revoked is refused at once with 401, even on open endpoints, so
 * a mistyped token never looks like anonymous access. Tokens of agents (distributors, mesh nodes) are
 * recognised by the marker of their {@link io.clusterplatform.provisioner.core.auth.TokenKind} and
 * checked by their {@link AgentTokenAuthenticator}.
 */
class BearerTokenFilter extends OncePerRequestFilter {
    private final ApiTokenService tokens;
    private final ProblemWriter problems;
    private final List<AgentTokenAuthenticator> agents;

    BearerTokenFilter(ApiTokenService tokens, ProblemWriter problems, List<AgentTokenAuthenticator> agents) {
        this.tokens = tokens;
        this.problems = problems;
        this.agents = List.copyOf(agents);
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
        String presented = header.substring(7).trim();
        for (AgentTokenAuthenticator agent : agents) {
            if (agent.kind().marks(presented)) {
                Optional<Authentication> authentication = agent.authenticate(presented);
                if (authentication.isEmpty()) {
                    problems.write(request, response, 401, "Unauthorized", agent.refusal());
                    return;
                }
                SecurityContextHolder.getContext().setAuthentication(authentication.get());
                chain.doFilter(request, response);
                return;
            }
        }
        Optional<ApiToken> token = tokens.authenticate(presented);
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
