package io.clusterplatform.provisioner.server.http;

import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import java.net.URI;
import java.net.URISyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * This server's address as hosts and distributors on other networks reach it: {@code
 * provisioner.public-url} when set, else scheme, host and port of the current request's {@code Host}
 * header. Download URLs, the {@code {{server}}} script placeholder and generated scripts use it.
 * Since any client chooses its {@code Host} header, an unset public URL is warned about at start
 * and on the dashboard's overview.
 */
@Component
public class ServerUrl {
    /** The start-up warning and the overview's, word for word. */
    public static final String UNSET_WARNING = "provisioner.public-url (PROVISIONER_PUBLIC_URL) is not set: the"
            + " {{server}} of scripts, download URLs and the distributor agent's server URL follow each request's"
            + " Host header, which any client chooses; set it to the URL hosts and distributors reach this server at";

    private static final Logger log = LoggerFactory.getLogger(ServerUrl.class);

    private final String publicUrl;

    public ServerUrl(ProvisionerProperties properties) {
        this.publicUrl = normalise(properties.publicUrl());
        if (publicUrl.isEmpty()) {
            log.warn(UNSET_WARNING);
        }
    }

    /** Whether {@code provisioner.public-url} is set (else URLs follow each request's Host header). */
    public boolean configured() {
        return !publicUrl.isEmpty();
    }

    /** The server's base URL: the configured public URL, else the current request's. */
    public String base() {
        if (!publicUrl.isEmpty()) {
            return publicUrl;
        }
        if (org.springframework.web.context.request.RequestContextHolder.getRequestAttributes() == null) {
            throw new IllegalStateException("no request to take the server's address from:"
                    + " set provisioner.public-url (PROVISIONER_PUBLIC_URL) to build URLs outside a request");
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath()
                .replaceQuery(null)
                .build()
                .toUriString();
    }

    /** The server's base URL as {@link #base()} says, taken from {@code request} when none is configured. */
    public String base(jakarta.servlet.http.HttpServletRequest request) {
        if (!publicUrl.isEmpty()) {
            return publicUrl;
        }
        return ServletUriComponentsBuilder.fromContextPath(request)
                .replaceQuery(null)
                .build()
                .toUriString();
    }

    /** The configured base without a trailing slash; refuses anything but an absolute http(s) URL. */
    static String normalise(String configured) {
        String url = configured == null ? "" : configured.strip();
        if (url.isEmpty()) {
            return "";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("provisioner.public-url '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null
                || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new IllegalArgumentException("provisioner.public-url '" + url
                    + "' must be an http or https URL without query, such as https://provisioner.example:8443");
        }
        return url.replaceAll("/+$", "");
    }
}
