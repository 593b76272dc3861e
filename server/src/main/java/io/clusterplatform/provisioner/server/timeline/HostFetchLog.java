package io.clusterplatform.provisioner.server.timeline;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Puts one answered request of a booting host on its boot timeline: the client's address, method,
 * path (no query but {@code artifactId}), status and length, handed to {@link HostFetchWriter}.
 * {@link HostFetchRecorder} calls it for every host fetch that goes through the application; the
 * boot script path ahead of it ({@code bootpath/BootScriptPath}, {@code BootDownloadPath}) for the scripts and files it answers
 * itself. Recording never fails the request: a failure is logged.
 */
@Component
public class HostFetchLog {
    private static final Logger log = LoggerFactory.getLogger(HostFetchLog.class);

    private final HostFetchWriter writer;
    private final Clock clock;

    HostFetchLog(HostFetchWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /** When a fetch starts, as recorded (microseconds). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Records that {@code request} (path {@code path}, without the context path) started at {@code at}
     * was answered with {@code response}; {@code failed} when it ended with an exception (then a status
     * under 400 is recorded as 500).
     */
    public void answered(
            HttpServletRequest request, HttpServletResponse response, String path, Instant at, boolean failed) {
        try {
            int status = failed && response.getStatus() < 400 ? 500 : response.getStatus();
            writer.offer(new HostFetchStore.Fetch(
                    at,
                    NodeAddresses.canonicalIp(request.getRemoteAddr()),
                    request.getMethod(),
                    recordedPath(path, request.getQueryString()),
                    status,
                    bytes(request, response)));
        } catch (RuntimeException e) {
            log.warn(
                    "Could not record {} {} from {} for its boot timeline: {}",
                    request.getMethod(),
                    path,
                    request.getRemoteAddr(),
                    e.toString());
        }
    }

    /** The path as recorded: {@code path}, plus {@code ?artifactId=...} when the query has a valid one. */
    static String recordedPath(String path, String query) {
        return artifactId(query).map(id -> path + "?artifactId=" + id).orElse(path);
    }

    private static Optional<String> artifactId(String query) {
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("artifactId=")) {
                try {
                    String value = URLDecoder.decode(pair.substring("artifactId=".length()), StandardCharsets.UTF_8);
                    // Only the characters an artifactId may have: nothing else reaches the record.
                    return NodeAddresses.isArtifactId(value) ? Optional.of(value) : Optional.empty();
                } catch (IllegalArgumentException badEscape) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Long bytes(HttpServletRequest request, HttpServletResponse response) {
        if ("HEAD".equals(request.getMethod()) || response.getStatus() == 304) {
            return null;
        }
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
