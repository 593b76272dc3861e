package io.clusterplatform.provisioner.server.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The dashboard ({@code /ui/**}): a browser logs in once with an operator token ({@link
 * DashboardLoginController}) and then holds a session cookie (HttpOnly, SameSite=Strict, see
 * application.yml). Every form carries a CSRF token; every request re-checks that the token behind the
 * session is still valid, so revoking it ends the session. Pages load scripts and styles from this
 * server only. The REST API ({@link SecurityConfig}) stays stateless and never accepts the cookie.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurityConfig {
    static final String LOGIN_PAGE = "/ui/login";

    @Bean
    @Order(1)
    SecurityFilterChain dashboard(
            HttpSecurity http,
            ApiTokenService tokens,
            Clock clock,
            @Value("${server.servlet.session.timeout:8h}") Duration lifetime)
            throws Exception {
        http.securityMatcher("/", "/ui", "/ui/**")
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .securityContext(
                        context -> context.securityContextRepository(new HttpSessionSecurityContextRepository()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .addFilterAfter(new DashboardSessionFilter(tokens, lifetime, clock), SecurityContextHolderFilter.class)
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self';"
                                + " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
                                + " form-action 'self'"))
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .exceptionHandling(e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE))
                        .accessDeniedHandler(DashboardSecurityConfig::denied))
                .logout(logout -> logout.logoutUrl("/ui/logout").logoutSuccessUrl(LOGIN_PAGE + "?out"))
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers(LOGIN_PAGE, "/ui/assets/**").permitAll();
                    auth.anyRequest().hasRole(SecurityConfig.OPERATOR);
                });
        return http.build();
    }

    /**
     * A form sent after its session ended (expired, logged out elsewhere, token revoked) has a CSRF
     * token no session knows: that is a login matter, not a 403. With a live session, a request
     * without its CSRF token (a forged one) stays a 403.
     */
    private static void denied(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        boolean ended = !request.isRequestedSessionIdValid()
                || request.getAttribute(DashboardSessionFilter.ENDED) != null; // Spring Session's request says valid
        if (e instanceof CsrfException && ended) {
            response.sendRedirect(request.getContextPath() + LOGIN_PAGE + "?expired");
            return;
        }
        response.sendError(HttpServletResponse.SC_FORBIDDEN, "this form has no valid CSRF token; reload the page");
    }
}
