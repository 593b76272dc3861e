package io.clusterplatform.provisioner.server.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Spring Security's firewall refuses paths that could mean two things to two parsers ({@code ..}
 * segments, also encoded, {@code ;} parameters, {@code //}, encoded slashes, backslashes, NUL,
 * non-printable characters); Spring Security uses this bean for its refusals, answered as a 400
 * problem that says what to change, like every other refusal.
 */
@Component
class FirewallRefusals implements RequestRejectedHandler {
    private final ProblemWriter problems;

    FirewallRefusals(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException refused)
            throws IOException {
        problems.write(
                request,
                response,
                400,
                "Bad Request",
                "the path or a header of this request is refused: " + refused.getMessage()
                        + ". Send paths without '..', ';', '//', encoded slashes or backslashes and without"
                        + " control characters");
    }
}
