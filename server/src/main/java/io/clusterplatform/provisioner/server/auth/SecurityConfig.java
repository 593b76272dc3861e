package io.clusterplatform.provisioner.server.auth;

import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import io.clusterplatform.provisioner.server.http.ProblemWriter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Who may call what. Operators send a bearer token. Booting hosts cannot authenticate, so (unless
 * {@code provisioner.open-boot-endpoints=false}) they may, without a token: read one entry of a text
 * registry or an SSH key (private keys and kickstart passwords stay hidden, see the controllers) and
 * register themselves with {@code POST /api/localnodes}, and download built files ({@link
 * #BOOT_DOWNLOADS}). Health, the OpenAPI document and Swagger UI are open. A distributor's
 * enrollment token reaches only the agent's endpoints (register, poll, acknowledge, upload boot
 * events, fetch and report liveness checks). A host joins a mesh with the join token in the body of
 * {@code POST /api/mesh/join}, no bearer token; a mesh node's token reaches only its agent's endpoints
 * (peer map, status, the kubeconfig upload of a master). Everything else needs an operator token.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
    /** What booting hosts fetch: one entry of each text registry, and SSH keys (public ones only). */
    static final String[] BOOT_READABLE = {
        "/api/mainscripts/*", "/api/subscripts/*", "/api/kickstarts/*",
        "/api/prebootscripts/*", "/api/postbootscripts/*", "/api/sshkeys/*"
    };

    /** Built files (iPXE binaries, GRUB images, ISOs) that hosts boot from and distributors fetch. */
    static final String[] BOOT_DOWNLOADS = {"/ipxes/*/*", "/grubs/*/*", "/syslinuxs/*/*", "/isos/*/*", "/assets/*"};

    static final String OPERATOR = "OPERATOR";
    static final String DISTRIBUTOR = "DISTRIBUTOR";
    static final String MESH_NODE = "MESH_NODE";

    /**
     * Paths in every security rule (here and in {@link DashboardSecurityConfig}) are matched as
     * Spring's parsed path patterns against the request path. Spring Security 6's default for a
     * Spring MVC application asks MVC's handler mappings for every rule on every request, which
     * took a third of the time of a boot script's GET; this matcher reads the path alone, which is
     * what every rule here means (none depends on a servlet path or on MVC's suffix rules).
     */
    @Bean
    static PathPatternRequestMatcherBuilderFactoryBean pathPatternRequestMatchers() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            ApiTokenService tokens,
            ProblemWriter problems,
            ProvisionerProperties properties,
            List<AgentTokenAuthenticator> agents)
            throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerTokenFilter(tokens, problems, agents), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> problems.write(
                                request,
                                response,
                                401,
                                "Unauthorized",
                                request.getRequestURI().startsWith("/api/mesh/nodes/")
                                        ? "this endpoint needs the node token from the join answer: send"
                                                + " 'Authorization: Bearer " + TokenKind.MESH_NODE.placeholder()
                                                + "'"
                                        : "this endpoint needs an operator token: send 'Authorization: Bearer"
                                                + " <token>'"))
                        .accessDeniedHandler((request, response, ex) ->
                                problems.write(request, response, 403, "Forbidden", "this token may not do that")))
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/actuator/health", "/actuator/health/**")
                            .permitAll();
                    auth.requestMatchers(
                                    "/v3/api-docs",
                                    "/v3/api-docs/**",
                                    "/v3/api-docs.yaml",
                                    "/swagger-ui.html",
                                    "/swagger-ui/**")
                            .permitAll();
                    auth.requestMatchers("/error").permitAll();
                    if (properties.openBootEndpoints()) {
                        auth.requestMatchers(HttpMethod.GET, BOOT_READABLE).permitAll();
                        auth.requestMatchers(HttpMethod.HEAD, BOOT_READABLE).permitAll();
                        auth.requestMatchers(HttpMethod.GET, BOOT_DOWNLOADS).permitAll();
                        auth.requestMatchers(HttpMethod.HEAD, BOOT_DOWNLOADS).permitAll();
                        auth.requestMatchers(HttpMethod.POST, "/api/localnodes").permitAll();
                    }
                    // What a distributor's agent calls with its enrollment token; nothing else accepts it.
                    auth.requestMatchers(HttpMethod.POST, "/api/distributors/register")
                            .hasRole(DISTRIBUTOR);
                    auth.requestMatchers(HttpMethod.POST, "/api/distributors/*/commands/*/result")
                            .hasRole(DISTRIBUTOR);
                    auth.requestMatchers(HttpMethod.POST, "/api/distributors/*/events")
                            .hasRole(DISTRIBUTOR);
                    // A script run, taken once with its private key and reported on by the agent only.
                    auth.requestMatchers(HttpMethod.GET, "/api/distributors/*/scriptruns/*")
                            .hasRole(DISTRIBUTOR);
                    auth.requestMatchers(HttpMethod.POST, "/api/distributors/*/scriptruns/*/output")
                            .hasRole(DISTRIBUTOR);
                    auth.requestMatchers(HttpMethod.POST, "/api/distributors/*/scriptruns/*/result")
                            .hasRole(DISTRIBUTOR);
                    // Liveness checks: the nodes to check, and the report (see liveness.LivenessController).
                    auth.requestMatchers(HttpMethod.GET, "/api/distributors/*/checks")
                            .hasRole(DISTRIBUTOR);
                    auth.requestMatchers(HttpMethod.POST, "/api/distributors/*/checks")
                            .hasRole(DISTRIBUTOR);
                    // Mesh: the join carries its join token in the body; nodes' agents use their node token.
                    auth.requestMatchers(HttpMethod.POST, "/api/mesh/join").permitAll();
                    // The shell node agent holds no secret: a postbootscript pipes it into sh.
                    auth.requestMatchers(HttpMethod.GET, "/mesh/agent.sh").permitAll();
                    auth.requestMatchers(HttpMethod.GET, "/api/mesh/nodes/*/peers", "/api/mesh/nodes/*/relay")
                            .hasRole(MESH_NODE);
                    auth.requestMatchers(HttpMethod.POST, "/api/mesh/nodes/*/status")
                            .hasRole(MESH_NODE);
                    // A master node uploads; operators are let through to be told so (see MeshNetworkController).
                    auth.requestMatchers(HttpMethod.PUT, "/api/mesh/networks/*/kubeconfig")
                            .hasAnyRole(MESH_NODE, OPERATOR);
                    // Agents poll here, operators list the recent commands (see DistributorController).
                    auth.requestMatchers(HttpMethod.GET, "/api/distributors/*/commands")
                            .hasAnyRole(DISTRIBUTOR, OPERATOR);
                    auth.anyRequest().hasRole(OPERATOR);
                });
        return http.build();
    }
}
