package io.clusterplatform.provisioner.server.auth;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
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
    SecurityFilterChain dashboard(HttpSecurity http, ApiTokenService tokens) throws Exception {
        http.securityMatcher("/", "/ui", "/ui/**")
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .securityContext(
                        context -> context.securityContextRepository(new HttpSessionSecurityContextRepository()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .addFilterAfter(new DashboardSessionFilter(tokens), SecurityContextHolderFilter.class)
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self';"
                                + " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
                                + " form-action 'self'"))
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .exceptionHandling(e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE)))
                .logout(logout -> logout.logoutUrl("/ui/logout").logoutSuccessUrl(LOGIN_PAGE + "?out"))
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers(LOGIN_PAGE, "/ui/assets/**").permitAll();
                    auth.anyRequest().hasRole(SecurityConfig.OPERATOR);
                });
        return http.build();
    }
}
