package io.clusterplatform.provisioner.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report as {@code application/problem+json} instead of its HTML page: what Tomcat
 * refuses before the application sees the request (a request line or header it cannot parse, an
 * encoded slash, backslash or NUL in the path, a query string or headers over the limit). Installed
 * as the host's error report valve by {@link TomcatSettings}; errors the application raises never
 * reach it (they are problems already).
 */
public class ProblemErrorReportValve extends ErrorReportValve {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", title(status));
        problem.put("status", status);
        problem.put("detail", detail(status, response.getMessage()));
        try {
            byte[] body = JSON.writeValueAsBytes(problem);
            response.setContentType("application/problem+json");
            response.setContentLength(body.length);
            OutputStream out = response.getOutputStream();
            out.write(body);
            out.flush();
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response cannot take a body any more: nothing to tell
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal error" : "Invalid request";
        };
    }

    private static String detail(int status, String message) {
        String said = message == null || message.isBlank() ? null : message.strip();
        if (status == 400) {
            return "the server could not read this request (its request line, path, query or headers): "
                    + (said == null ? "it is not valid HTTP/1.1 or uses characters a URL may not hold" : said)
                    + "; percent-encode reserved characters and keep request lines and headers under 8 KB";
        }
        return said == null ? "the server refused this request before reading it (HTTP " + status + ")" : said;
    }
}
