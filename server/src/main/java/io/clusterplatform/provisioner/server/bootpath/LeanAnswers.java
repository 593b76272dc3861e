package io.clusterplatform.provisioner.server.bootpath;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What the filters a lean path skips would have added to its answers, for the Tomcat valves that
 * answer booting hosts ahead of the application ({@link BootScriptPath}, {@link
 * BootDownloadPath}): Spring Security's default headers, and the {@code
 * http.server.requests} timer with the tags Spring's observation gives the same request, so metrics
 * count every answer whichever path gave it.
 */
@Component
final class LeanAnswers {
    private final MeterRegistry meters;

    public LeanAnswers(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * The headers Spring Security's default header writers add to every answer of this server, set
     * before the answer is written; see {@link #notModified} for a 304.
     */
    static void securityHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-XSS-Protection", "0");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
        response.setHeader(HttpHeaders.PRAGMA, "no-cache");
        response.setHeader(HttpHeaders.EXPIRES, "0");
        response.setHeader("X-Frame-Options", "DENY");
    }

    /**
     * Takes the cache headers of {@link #securityHeaders} off a 304 answer (not committed: it has no
     * body), as Spring Security's cache-control writer leaves a 304 without them.
     */
    static void notModified(org.apache.catalina.connector.Response response) {
        if (response.getStatus() == 304 && !response.isCommitted()) {
            for (String header : new String[] {HttpHeaders.CACHE_CONTROL, HttpHeaders.PRAGMA, HttpHeaders.EXPIRES}) {
                response.getCoyoteResponse().getMimeHeaders().removeHeader(header);
            }
        }
    }

    /** The timers of the route {@code uri} (the pattern, as the controller's mapping names it). */
    public Route route(String uri) {
        return new Route(uri);
    }

    /** The {@code http.server.requests} timers of one route, by method and status. */
    public final class Route {
        private final String uri;
        private final Timer get;
        private final Timer head;
        private final Map<String, Timer> others = new ConcurrentHashMap<>();

        private Route(String uri) {
            this.uri = uri;
            this.get = timer("GET", uri, 200);
            this.head = timer("HEAD", uri, 200);
        }

        /** Times an answer of {@code status} to {@code method} that took {@code nanos}. */
        public void record(String method, int status, long nanos) {
            Timer timer = status != 200 || !("GET".equals(method) || "HEAD".equals(method))
                    ? others.computeIfAbsent(method + ' ' + status, key -> timer(method, uri, status))
                    : "GET".equals(method) ? get : head;
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String method, String uri, int status) {
        HttpStatus.Series series = HttpStatus.Series.resolve(status);
        String outcome = series == null
                ? "UNKNOWN"
                : switch (series) {
                    case INFORMATIONAL -> "INFORMATIONAL";
                    case SUCCESSFUL -> "SUCCESS";
                    case REDIRECTION -> "REDIRECTION";
                    case CLIENT_ERROR -> "CLIENT_ERROR";
                    case SERVER_ERROR -> "SERVER_ERROR";
                };
        return Timer.builder("http.server.requests")
                .tags(Tags.of(
                        "error",
                        "none",
                        "exception",
                        "none",
                        "method",
                        method,
                        "outcome",
                        outcome,
                        "status",
                        String.valueOf(status),
                        "uri",
                        uri))
                .register(meters);
    }
}
