package io.clusterplatform.provisioner.server.timeline;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records, once the response is done, what booting hosts fetch: {@code GET}/{@code HEAD} of one entry
 * of a text registry or an SSH key, of a boot asset ({@code /assets/...}) and of a built file ({@code
 * /ipxes/...}, {@code /grubs/...}, {@code /syslinuxs/...}, {@code /isos/...}), and registrations
 * ({@code POST /api/localnodes}), with the client's address, the status and the length. It runs
 * before the security filters, so a refused request (401 when boot endpoints are closed) is recorded
 * too. The query string is dropped except {@code artifactId}, so nothing a host sends in it (a token,
 * say) is kept. The fetch is handed to {@link HostFetchWriter}, which stores it behind the request:
 * recording never delays, blocks or fails a request (see the writer for what it may drop and how
 * that shows). The scripts the boot script path answers ahead of the application are recorded there,
 * through the same {@link HostFetchLog}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class HostFetchRecorder extends OncePerRequestFilter {
    private static final Pattern READS =
            Pattern.compile("/api/(mainscripts|subscripts|kickstarts|prebootscripts|postbootscripts|sshkeys)/[^/]+"
                    + "|/assets/.+|/(ipxes|grubs|syslinuxs|isos)/.+");
    private static final Pattern REGISTRATION = Pattern.compile("/api/localnodes/?");

    private final HostFetchLog timeline;

    HostFetchRecorder(HostFetchLog timeline) {
        this.timeline = timeline;
    }

    /** Whether a request with this method and path (no query) is one a booting host makes. */
    static boolean isHostFetch(String method, String path) {
        return switch (method) {
            case "GET", "HEAD" -> READS.matcher(path).matches();
            case "POST" -> REGISTRATION.matcher(path).matches();
            default -> false;
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!isHostFetch(request.getMethod(), path)) {
            chain.doFilter(request, response);
            return;
        }
        Instant at = timeline.now();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            timeline.answered(request, response, path, at, failed);
        }
    }
}
