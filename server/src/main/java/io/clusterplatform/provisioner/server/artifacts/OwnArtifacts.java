package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Reads URLs of built files back: {@code <anything>/<kind>/<uuid>/<file>}, the shape {@link
 * ArtifactUrls} writes (e.g. {@code http://p.example/ipxes/bffaf7bb-.../ipxe.efi}), and finds the
 * files behind them in the {@link ArtifactStore}. Two readings:
 *
 * <ul>
 *   <li>{@link #find(String)}, whatever host the URL names: builds take inputs named by the original API's
 *       URLs (another server's host, our UUIDs) straight from the store;
 *   <li>{@link #onThisServer(String, String)}, only for URLs of this server's origin ({@link
 *       ServerUrl#base()}), where a URL that names no file is a mistake worth a 400.
 * </ul>
 *
 * Boot assets ({@code /assets/<name>}) have another shape and are not recognised here.
 */
@Component
public class OwnArtifacts {
    private final ArtifactStore store;
    private final ServerUrl server;

    public OwnArtifacts(ArtifactStore store, ServerUrl server) {
        this.store = store;
        this.server = server;
    }

    /** What a URL's path names: {@code .../<kind>/<uuid>/<file>}, each part valid. */
    public record FileRef(ArtifactKind kind, UUID artifactId, String name) {}

    /** The kind, UUID and file name the URL's path ends in, if it has that shape; the host is not looked at. */
    public static Optional<FileRef> parse(String url) {
        String[] parts = path(url).split("/");
        if (parts.length < 4) {
            return Optional.empty();
        }
        Optional<ArtifactKind> kind = builtKind(parts[parts.length - 3]);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FileRef(
                    kind.get(),
                    ArtifactNames.parseArtifactId(parts[parts.length - 2]),
                    ArtifactNames.requireFileName(parts[parts.length - 1])));
        } catch (ProblemException notAFileName) {
            return Optional.empty();
        }
    }

    /** Our artifact file behind the URL, whatever host it names, if the store has it. */
    public Optional<StoredFile> find(String url) {
        return parse(url).flatMap(ref -> store.find(ref.kind(), ref.artifactId(), ref.name()));
    }

    /**
     * The file behind a URL of this server: same scheme, host and port (case-insensitive, default
     * ports filled in) as {@link ServerUrl#base()}, with a path of the shape {@code .../<kind>/...}.
     * Empty for URLs of other servers and for other paths of this one; a 400 naming {@code field}
     * when it looks like one of our files but the store has no such file (an unknown UUID, a
     * mistyped name, a deleted build).
     */
    public Optional<StoredFile> onThisServer(String field, String url) {
        if (!sameOrigin(url, server.base())) {
            return Optional.empty();
        }
        String[] parts = path(url).split("/");
        if (parts.length < 4 || builtKind(parts[parts.length - 3]).isEmpty()) {
            return Optional.empty();
        }
        Optional<StoredFile> file = find(url);
        if (file.isEmpty()) {
            throw ProblemException.invalid("'" + field + "' names no artifact file of this server: " + url
                    + " (expected <server>/<kind>/<uuid>/<file> of a finished build, as its 'files' list them)");
        }
        return file;
    }

    /** Another file of the same artifact, e.g. the {@code script.ipxe} beside an {@code ipxe.efi}. */
    public Optional<StoredFile> sibling(StoredFile file, String name) {
        return store.find(file.kind(), file.artifactId(), name);
    }

    /** Whether two absolute URLs have the same scheme, host and port. */
    static boolean sameOrigin(String a, String b) {
        try {
            URI x = new URI(a);
            URI y = new URI(b);
            return x.getScheme() != null
                    && y.getScheme() != null
                    && x.getHost() != null
                    && y.getHost() != null
                    && x.getScheme().equalsIgnoreCase(y.getScheme())
                    && x.getHost().equalsIgnoreCase(y.getHost())
                    && port(x) == port(y);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    /** The decoded path, or empty for text that is no URL. */
    private static String path(String url) {
        try {
            String path = new URI(url).getPath();
            return path == null ? "" : path;
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /** The kind of built artifact with this wire name (ipxes, grubs, syslinuxs, isos); assets are not built. */
    private static Optional<ArtifactKind> builtKind(String wireName) {
        for (ArtifactKind kind : ArtifactKind.values()) {
            if (kind != ArtifactKind.ASSETS && kind.wireName().equals(wireName)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
