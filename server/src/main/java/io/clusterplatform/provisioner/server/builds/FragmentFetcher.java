package io.clusterplatform.provisioner.server.builds;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStore;
import io.clusterplatform.provisioner.server.artifacts.OwnArtifacts;
import io.clusterplatform.provisioner.server.artifacts.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Gets the inputs of a build named by URL. A URL of one of our own artifacts ({@code
 * .../<kind>/<uuid>/<file>} that the store has, see {@link OwnArtifacts#find}) is read from the store
 * directly, whatever host it names; any other http(s) URL is downloaded with a size limit ({@value
 * #MAX_BYTES} bytes) and a time limit, so a wrong URL cannot fill the disk or hang a worker.
 */
@Component
public class FragmentFetcher {
    static final long MAX_BYTES = 512L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final ArtifactStore store;
    private final OwnArtifacts own;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    public FragmentFetcher(ArtifactStore store, OwnArtifacts own) {
        this.store = store;
        this.own = own;
    }

    /** Checks that a URL field holds an absolute http(s) URL; a 400 problem names the field if not. */
    public static String requireUrl(String field, String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw ProblemException.invalid("'" + field + "' must be an http or https URL, got '" + value + "'");
            }
            return value;
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("'" + field + "' is not a URL: " + e.getMessage());
        }
    }

    /** Copies the URL's bytes to {@code target}. */
    public void fetch(String field, String url, Path target) throws IOException {
        Optional<StoredFile> ours = own.find(url);
        if (ours.isPresent()) {
            copy(ours.get(), target);
            return;
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + field);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw ProblemException.invalid("'" + field + "' (" + url + ") answered HTTP " + response.statusCode());
            }
            long declared =
                    response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > MAX_BYTES) {
                throw ProblemException.invalid("'" + field + "' is " + declared + " bytes, more than the " + MAX_BYTES
                        + " a build input may have");
            }
            copyLimited(in, target, field);
        }
    }

    public void copy(StoredFile file, Path target) throws IOException {
        try (InputStream in = store.open(file, 0)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyLimited(InputStream in, Path target, String field) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_BYTES) {
                    throw ProblemException.invalid(
                            "'" + field + "' is larger than the " + MAX_BYTES + " bytes a build input may have");
                }
                out.write(buffer, 0, n);
            }
        }
    }
}
