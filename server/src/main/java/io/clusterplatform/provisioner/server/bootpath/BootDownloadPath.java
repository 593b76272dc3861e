package io.clusterplatform.provisioner.server.bootpath;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.artifacts.ArtifactDownloadController;
import io.clusterplatform.provisioner.server.artifacts.ServedFiles;
import io.clusterplatform.provisioner.server.artifacts.StoredFile;
import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import io.clusterplatform.provisioner.server.timeline.HostFetchLog;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * The lean path of the downloads booting hosts make: {@code GET}/{@code HEAD} of a boot asset
 * ({@code /assets/<name>}) or a built file ({@code /ipxes/<id>/<file>}, {@code /grubs/...}, {@code
 * /syslinuxs/...}, {@code /isos/...}) without a token, while boot endpoints are open. A valve of the
 * embedded Tomcat answers it ahead of every filter and Spring MVC, through the same {@link
 * ArtifactDownloadController#serve} as the controllers (so Range, If-Range, If-None-Match, HEAD and
 * sendfile are the same), with the security headers the skipped filters would have added ({@link
 * LeanAnswers}); the file's catalog entry comes from memory ({@link ServedFiles}). What the skipped
 * filters would have done for such a request it does itself: the download goes on the host's boot
 * timeline ({@link HostFetchLog}) and is timed as {@code http.server.requests} with the same tags.
 *
 * <p>Anything else goes the ordinary way, unchanged: a request with an {@code Authorization} header
 * (a bad token is refused), an unknown file or a malformed name or id (their problem answers come
 * from the controllers), a file that went away between lookup and answer, and every request when
 * {@code provisioner.open-boot-endpoints} is false.
 */
@Component
class BootDownloadPath implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private static final String NAME =
            "([A-Za-z0-9][A-Za-z0-9._+-]{0," + (ArtifactNames.MAX_FILE_NAME_LENGTH - 1) + "})";
    private static final Pattern DOWNLOAD =
            Pattern.compile("/assets/" + NAME + "|/(ipxes|grubs|syslinuxs|isos)/([0-9a-fA-F-]{36})/" + NAME);

    private final ServedFiles files;
    private final ArtifactDownloadController downloads;
    private final HostFetchLog timeline;
    private final boolean open;
    private final LeanAnswers.Route assetRoute;
    private final LeanAnswers.Route artifactRoute;

    BootDownloadPath(
            ServedFiles files,
            ArtifactDownloadController downloads,
            HostFetchLog timeline,
            ProvisionerProperties properties,
            LeanAnswers answers) {
        this.files = files;
        this.downloads = downloads;
        this.timeline = timeline;
        this.open = properties.openBootEndpoints();
        // the routes as the controllers' mappings name them
        this.assetRoute = answers.route("/assets/{name}");
        this.artifactRoute = answers.route(ArtifactDownloadController.PATH);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextValves(new Lean());
    }

    private final class Lean extends LeanValve {
        Lean() {
            super(open);
        }

        @Override
        boolean answered(Request request, Response response, String path) throws IOException {
            Matcher download = DOWNLOAD.matcher(path);
            Optional<StoredFile> stored = download.matches() ? find(download) : Optional.empty();
            if (stored.isEmpty()) {
                return false;
            }
            long started = System.nanoTime();
            Instant at = timeline.now();
            LeanAnswers.securityHeaders(response);
            try {
                downloads.serve(stored.get(), request, response);
            } catch (ProblemException goneSinceFound) {
                // deleted since the lookup: the controller answers (and the timeline's filter records) its 404
                if (response.isCommitted()) {
                    timeline.answered(request, response, path, at, true);
                    throw goneSinceFound;
                }
                response.reset();
                return false;
            } catch (IOException | RuntimeException e) {
                timeline.answered(request, response, path, at, true);
                throw e;
            }
            LeanAnswers.notModified(response);
            timeline.answered(request, response, path, at, false);
            (download.group(1) != null ? assetRoute : artifactRoute)
                    .record(request.getMethod(), response.getStatus(), System.nanoTime() - started);
            return true;
        }

        private Optional<StoredFile> find(Matcher download) {
            try {
                if (download.group(1) != null) {
                    String name = download.group(1);
                    return files.find(ArtifactKind.ASSETS, ArtifactNames.assetId(name), name);
                }
                return files.find(
                        ArtifactKind.parse(download.group(2)),
                        ArtifactNames.parseArtifactId(download.group(3)),
                        download.group(4));
            } catch (ProblemException malformed) {
                return Optional.empty();
            }
        }
    }
}
