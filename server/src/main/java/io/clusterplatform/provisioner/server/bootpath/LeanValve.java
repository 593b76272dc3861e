package io.clusterplatform.provisioner.server.bootpath;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.springframework.http.HttpHeaders;

/**
 * A context valve of a lean path: it may answer a {@code GET}/{@code HEAD} without an {@code
 * Authorization} header while boot endpoints are open; everything else, and whatever it declines,
 * goes on to the application unchanged.
 */
abstract class LeanValve extends ValveBase {
    private final boolean open;

    LeanValve(boolean open) {
        super(true);
        this.open = open;
    }

    @Override
    public final void invoke(Request request, Response response) throws IOException, ServletException {
        String method = request.getMethod();
        if (!open
                || !("GET".equals(method) || "HEAD".equals(method))
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || !answered(
                        request,
                        response,
                        request.getRequestURI()
                                .substring(request.getContextPath().length()))) {
            getNext().invoke(request, response);
        }
    }

    /**
     * Answers the request at {@code path} (without the context path) and returns true, or returns
     * false having left the response as it was, for the ordinary path to answer.
     */
    abstract boolean answered(Request request, Response response, String path) throws IOException;
}
