package io.clusterplatform.provisioner.server.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}): what was refused outside Spring MVC (a filter's
 * {@code sendError}, an exception thrown by a filter) is answered as {@code application/problem+json},
 * like every other error, instead of Spring Boot's own JSON.
 */
@RestController
class ProblemErrorController implements ErrorController {
    @RequestMapping(path = "/error", produces = MediaType.APPLICATION_PROBLEM_JSON_VALUE)
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number && number >= 400 ? number : 500;
        HttpStatus known = HttpStatus.resolve(status);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = status >= 500
                ? "the server failed to handle this request; the server log has the details"
                : message instanceof String said && !said.isBlank()
                        ? said
                        : "the request was refused (" + (known == null ? "HTTP " + status : known.getReasonPhrase())
                                + ")";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        problem.setTitle(
                status >= 500 ? "Internal error" : known == null ? "Invalid request" : known.getReasonPhrase());
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path) {
            try {
                problem.setInstance(new URI(path));
            } catch (URISyntaxException e) {
                // a path the firewall refused may not be a URI: leave the instance out
            }
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
