package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.scripts.ScriptPlaceholders;
import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import io.clusterplatform.provisioner.server.http.Negotiation;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The lean path of what booting hosts fetch most: {@code GET}/{@code HEAD /api/<registry>/<id>} as
 * raw text, without a token, while boot endpoints are open. It answers the script itself, ahead of
 * the security filters and Spring MVC, with the same bytes, type and security headers as {@link
 * TextRegistryController#get} would: the text a caller without a token is served ({@link
 * TextRegistry#servedWithoutToken}) with {@code {{server}}} and {@code {{artifactId}}} filled in.
 *
 * <p>Anything else goes the ordinary way, unchanged: a request with an {@code Authorization} header
 * (an operator sees kickstarts as stored; a bad token is refused), one that asks for JSON or for a
 * type other than text, an unknown id or a bad {@code artifactId} (their problem answers come from
 * the controller), and every request when {@code provisioner.open-boot-endpoints} is false. It runs
 * after {@code HostFetchRecorder}, so these fetches are on the boot timeline as before.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class BootScriptFilter extends OncePerRequestFilter {
    private static final Pattern SCRIPT =
            Pattern.compile("/api/(mainscripts|subscripts|kickstarts|prebootscripts|postbootscripts)/([0-9]{1,18})");
    private static final Map<String, TextRegistry> REGISTRIES = new HashMap<>();

    static {
        for (TextRegistry registry : TextRegistry.values()) {
            REGISTRIES.put(registry.path(), registry);
        }
    }

    private final TextRegistryStore store;
    private final ServerUrl server;
    private final boolean open;

    BootScriptFilter(TextRegistryStore store, ServerUrl server, ProvisionerProperties properties) {
        this.store = store;
        this.server = server;
        this.open = properties.openBootEndpoints();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !open
                || !("GET".equals(method) || "HEAD".equals(method))
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || !acceptsText(request.getHeader(HttpHeaders.ACCEPT));
    }

    /** No Accept, a wildcard or text, and not a preference for JSON (as {@link Negotiation} decides). */
    static boolean acceptsText(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        if (Negotiation.wantsJson(accept)) {
            return false;
        }
        return accept.contains("*/*") || accept.contains("text/*") || accept.contains("text/plain");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<byte[]> script = served(request);
        if (script.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = script.get();
        response.setStatus(200);
        response.setContentType(Negotiation.TEXT_UTF8.toString());
        response.setContentLength(body.length);
        // What Spring Security's default header writer adds to every answer of the API.
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-XSS-Protection", "0");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
        response.setHeader(HttpHeaders.PRAGMA, "no-cache");
        response.setHeader(HttpHeaders.EXPIRES, "0");
        response.setHeader("X-Frame-Options", "DENY");
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /** The bytes to answer, or empty when the ordinary path is to answer this request. */
    private Optional<byte[]> served(HttpServletRequest request) {
        Matcher path = SCRIPT.matcher(
                request.getRequestURI().substring(request.getContextPath().length()));
        if (!path.matches()) {
            return Optional.empty();
        }
        String artifactId = request.getParameter("artifactId");
        if (artifactId != null && !NodeAddresses.isArtifactId(artifactId)) {
            return Optional.empty();
        }
        TextRegistry registry = REGISTRIES.get(path.group(1));
        return store.find(registry, Long.parseLong(path.group(2))).map(entry -> {
            Map<String, String> values = new HashMap<>();
            values.put(ScriptPlaceholders.SERVER, server.base(request));
            values.put(ScriptPlaceholders.ARTIFACT_ID, artifactId == null ? "" : artifactId);
            return ScriptPlaceholders.fill(registry.servedWithoutToken(entry.text()), values)
                    .getBytes(StandardCharsets.UTF_8);
        });
    }
}
