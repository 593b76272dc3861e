package io.clusterplatform.provisioner.server.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dashboard's login: the operator pastes an operator token (the one the server printed at first
 * start, or one from {@code provisioner token create}); the session then stands for that token.
 */
@Controller
class DashboardLoginController {
    private final ApiTokenService tokens;
    private final Clock clock;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    DashboardLoginController(ApiTokenService tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @GetMapping(DashboardSecurityConfig.LOGIN_PAGE)
    String form(
            @RequestParam(required = false) String out, @RequestParam(required = false) String expired, Model model) {
        model.addAttribute("loggedOut", out != null);
        model.addAttribute("expired", expired != null);
        return "ui/login";
    }

    @PostMapping(DashboardSecurityConfig.LOGIN_PAGE)
    String login(
            @RequestParam(defaultValue = "") String token,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ApiToken> operator = token.isBlank() ? Optional.empty() : tokens.authenticate(token.trim());
        if (operator.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            model.addAttribute(
                    "tokenError",
                    token.isBlank()
                            ? "paste an operator token"
                            : "this token is unknown or revoked; create one with 'provisioner token create'");
            model.addAttribute("loggedOut", false);
            model.addAttribute("expired", false);
            return "ui/login";
        }
        request.getSession(true);
        request.changeSessionId();
        request.getSession().setAttribute(DashboardSessionFilter.LOGGED_IN_AT, clock.instant());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new OperatorAuthentication(operator.get()));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return "redirect:/ui/";
    }
}
