package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import io.clusterplatform.provisioner.core.artifacts.ByteRange;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.http.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Downloads of built files: {@code GET} and {@code HEAD /{kind}/{uuid}/{file}}, what booting hosts
 * and distributors fetch. Answers carry Content-Length, the SHA-256 as ETag, Last-Modified and
 * honour a single {@code Range} (with {@code If-Range}) and {@code If-None-Match}. The bytes are
 * streamed from the store, never held in memory.
 */
@RestController
public class ArtifactDownloadController {
    static final String PATH = "/{kind:ipxes|grubs|syslinuxs|isos}/{artifactId}/{file}";
    private static final Logger log = LoggerFactory.getLogger(ArtifactDownloadController.class);
    private static final int BUFFER = 1 << 16;

    private final ArtifactStore store;
    private final ProblemWriter problems;

    ArtifactDownloadController(ArtifactStore store, ProblemWriter problems) {
        this.store = store;
        this.problems = problems;
    }

    @RequestMapping(
            path = PATH,
            method = {RequestMethod.GET, RequestMethod.HEAD})
    void download(
            @PathVariable String kind,
            @PathVariable String artifactId,
            @PathVariable String file,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        ArtifactKind artifactKind = ArtifactKind.parse(kind);
        UUID id = ArtifactNames.parseArtifactId(artifactId);
        StoredFile stored = store.find(artifactKind, id, file).orElseThrow(() -> notFound(artifactKind, id, file));
        serve(stored, request, response);
    }

    /**
     * Sends a stored file: Content-Length, ETag (its sha256), Last-Modified, {@code Accept-Ranges},
     * single ranges (206), 416, 304 for a matching {@code If-None-Match}, HEAD without the bytes.
     */
    public void serve(StoredFile stored, HttpServletRequest request, HttpServletResponse response) throws IOException {
        ArtifactKind artifactKind = stored.kind();
        UUID id = stored.artifactId();
        String file = stored.name();
        String etag = "\"" + stored.sha256() + "\"";
        long lastModified = stored.lastModified().toEpochMilli();

        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (new ServletWebRequest(request, response).checkNotModified(etag, lastModified)) {
            return; // 304 (or 412 for a failed If-Match), with ETag and Last-Modified set
        }
        ByteRange range = rangeIfStillValid(request, stored, etag);
        if (range instanceof ByteRange.Unsatisfiable unsatisfiable) {
            response.setHeader(HttpHeaders.CONTENT_RANGE, unsatisfiable.contentRange());
            problems.write(
                    request,
                    response,
                    416,
                    "Range not satisfiable",
                    "the range '" + request.getHeader(HttpHeaders.RANGE) + "' starts beyond the end of " + stored.path()
                            + ", which has " + stored.size() + " bytes");
            return;
        }
        long first = 0;
        long length = stored.size();
        if (range instanceof ByteRange.Part part) {
            response.setStatus(206);
            response.setHeader(HttpHeaders.CONTENT_RANGE, part.contentRange());
            first = part.first();
            length = part.length();
        }
        response.setContentType(ArtifactNames.contentType(stored.name()));
        response.setContentLengthLong(length);
        if ("HEAD".equals(request.getMethod())) {
            return;
        }
        InputStream in;
        try {
            in = store.open(stored, first);
        } catch (NoSuchFileException goneSinceFound) {
            response.reset();
            throw notFound(artifactKind, id, file);
        }
        try (in) {
            copy(in, response.getOutputStream(), length);
        } catch (IOException e) {
            if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
                log.debug("Client went away while downloading {}", stored.path());
                return;
            }
            throw e;
        }
    }

    /** The requested range, unless an {@code If-Range} says the client's copy is another version. */
    private static ByteRange rangeIfStillValid(HttpServletRequest request, StoredFile stored, String etag) {
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        if (ifRange != null && !ifRange.equals(etag) && !sameSecond(ifRange, stored)) {
            return new ByteRange.Whole();
        }
        return ByteRange.of(request.getHeader(HttpHeaders.RANGE), stored.size());
    }

    private static boolean sameSecond(String httpDate, StoredFile stored) {
        try {
            return ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .withZoneSameInstant(ZoneOffset.UTC)
                    .toInstant()
                    .equals(stored.lastModified());
        } catch (DateTimeParseException notADate) {
            return false;
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long left = length;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the file ended " + left + " bytes early (changed on disk while sent?)");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static ProblemException notFound(ArtifactKind kind, UUID id, String file) {
        return ProblemException.notFound(
                "artifact " + kind + "/" + id + " has no file '" + file + "' (it may not be built yet)");
    }
}
