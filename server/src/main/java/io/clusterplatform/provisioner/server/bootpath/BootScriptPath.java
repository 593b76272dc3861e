package io.clusterplatform.provisioner.server.bootpath;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import io.clusterplatform.provisioner.server.http.Negotiation;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.registries.ServedScripts;
import io.clusterplatform.provisioner.server.registries.TextRegistry;
import io.clusterplatform.provisioner.server.timeline.HostFetchLog;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The lean path of what booting hosts fetch most: {@code GET}/{@code HEAD /api/<registry>/<id>} as
 * raw text, without a token, while boot endpoints are open. A valve of the embedded Tomcat answers
 * the script itself, ahead of every filter (security, metrics' observation, encoding) and Spring
 * MVC, with the same bytes, type and security headers as {@code registries/TextRegistryController#get} would:
 * the text a caller without a token is served, from {@link ServedScripts}. What the skipped filters
 * would have done for such a request it does itself: the fetch goes on the host's boot timeline
 * ({@link HostFetchLog}) and is timed as {@code http.server.requests} with the same tags.
 *
 * <p>Anything else goes the ordinary way, unchanged: a request with an {@code Authorization} header
 * (an operator sees kickstarts as stored; a bad token is refused), one that asks for JSON or for a
 * type other than text, an unknown id or a bad {@code artifactId} (their problem answers come from
 * the controller), a path with anything more than the registry and the digits of an id, and every
 * request when {@code provisioner.open-boot-endpoints} is false.
 */
@Component
class BootScriptPath implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private static final Pattern SCRIPT =
            Pattern.compile("/api/(mainscripts|subscripts|kickstarts|prebootscripts|postbootscripts)/([0-9]{1,18})");
    private static final Map<String, TextRegistry> REGISTRIES = new HashMap<>();

    static {
        for (TextRegistry registry : TextRegistry.values()) {
            REGISTRIES.put(registry.path(), registry);
        }
    }

    private final ServedScripts scripts;
    private final ServerUrl server;
    private final HostFetchLog timeline;
    private final boolean open;
    private final Map<TextRegistry, LeanAnswers.Route> routes = new EnumMap<>(TextRegistry.class);

    BootScriptPath(
            ServedScripts scripts,
            ServerUrl server,
            HostFetchLog timeline,
            ProvisionerProperties properties,
            LeanAnswers answers) {
        this.scripts = scripts;
        this.server = server;
        this.timeline = timeline;
        this.open = properties.openBootEndpoints();
        for (TextRegistry registry : TextRegistry.values()) {
            routes.put(registry, answers.route("/api/" + registry.path() + "/{id}"));
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextValves(new Lean());
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

    private final class Lean extends LeanValve {
        Lean() {
            super(open);
        }

        @Override
        boolean answered(Request request, Response response, String uri) throws IOException {
            Matcher path = SCRIPT.matcher(uri);
            if (!acceptsText(request.getHeader(HttpHeaders.ACCEPT)) || !path.matches()) {
                return false;
            }
            long started = System.nanoTime();
            Instant at = timeline.now();
            Optional<byte[]> script = served(request, path);
            if (script.isEmpty()) {
                return false;
            }
            String method = request.getMethod();
            byte[] body = script.get();
            response.setStatus(200);
            response.setContentType(Negotiation.TEXT_UTF8.toString());
            response.setContentLength(body.length);
            LeanAnswers.securityHeaders(response);
            boolean failed = true;
            try {
                if (!"HEAD".equals(method)) {
                    response.getOutputStream().write(body);
                }
                failed = false;
            } finally {
                timeline.answered(request, response, path.group(), at, failed);
                if (!failed) {
                    routes.get(REGISTRIES.get(path.group(1))).record(method, 200, System.nanoTime() - started);
                }
            }
            return true;
        }

        /** The bytes to answer, or empty when the ordinary path is to answer this request. */
        private Optional<byte[]> served(HttpServletRequest request, Matcher path) {
            String artifactId = request.getParameter("artifactId");
            if (artifactId != null && !NodeAddresses.isArtifactId(artifactId)) {
                return Optional.empty();
            }
            return scripts.served(
                    REGISTRIES.get(path.group(1)),
                    Long.parseLong(path.group(2)),
                    server.base(request),
                    artifactId == null ? "" : artifactId);
        }
    }
}
