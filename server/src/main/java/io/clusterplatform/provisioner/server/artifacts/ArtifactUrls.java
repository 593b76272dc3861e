package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Absolute download URLs of built files, for hosts and distributors on other networks: {@code
 * provisioner.public-url} when set, else scheme, host and port of the current request's {@code Host}
 * header.
 */
@Component
public class ArtifactUrls {
    private final String publicUrl;

    public ArtifactUrls(ProvisionerProperties properties) {
        this.publicUrl = normalise(properties.publicUrl());
    }

    /** {@code <base>/<kind>/<uuid>/<file>}, e.g. {@code https://p.example/ipxes/bffaf7bb-.../ipxe.efi}. */
    public String downloadUrl(ArtifactKind kind, UUID artifactId, String file) {
        return base() + "/" + kind.wireName() + "/" + artifactId + "/" + ArtifactNames.requireFileName(file);
    }

    public String downloadUrl(StoredFile file) {
        return downloadUrl(file.kind(), file.artifactId(), file.name());
    }

    /** The server's base URL: the configured public URL, else the current request's. */
    public String base() {
        if (!publicUrl.isEmpty()) {
            return publicUrl;
        }
        if (org.springframework.web.context.request.RequestContextHolder.getRequestAttributes() == null) {
            throw new IllegalStateException("no request to take the server's address from:"
                    + " set provisioner.public-url (PROVISIONER_PUBLIC_URL) to build download URLs outside a request");
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath()
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
