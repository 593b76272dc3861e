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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
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
 * never held in memory: a file on the local file system is handed to the container's sendfile
 * (Tomcat has the kernel send it, as nginx does) or copied from its {@link FileChannel}; a file of
 * another store is streamed from {@link ArtifactStore#open}.
 */
@RestController
public class ArtifactDownloadController {
    public static final String PATH = "/{kind:ipxes|grubs|syslinuxs|isos}/{artifactId}/{file}";
    private static final Logger log = LoggerFactory.getLogger(ArtifactDownloadController.class);
    private static final int BUFFER = 1 << 16;

    /** Tomcat's request attributes for sendfile (see its DefaultServlet): set the file, write no body. */
    static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";

    static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

    /** Smaller parts are copied, as Tomcat's DefaultServlet does (its sendfileSize): the hand-over costs more. */
    static final long SENDFILE_MIN = 48 * 1024;

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
     * single ranges (206), 416, 304 for a matching {@code If-None-Match}, HEAD without the bytes; 404
     * if the file went away since it was found. A file replaced by a new publication since it was
     * found is answered as that new file, if the store lists it already.
     */
    public void serve(StoredFile stored, HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(stored, request, response, true);
    }

    private void serve(
            StoredFile stored, HttpServletRequest request, HttpServletResponse response, boolean findAgainIfReplaced)
            throws IOException {
        Optional<Path> local;
        try {
            local = store.localFile(stored); // checked now, before any header is set
        } catch (NoSuchFileException goneOrReplaced) {
            Optional<StoredFile> replacement = findAgainIfReplaced
                    ? store.find(stored.kind(), stored.artifactId(), stored.name())
                            .filter(now -> !now.equals(stored))
                    : Optional.empty();
            if (replacement.isEmpty()) {
                throw notFound(stored.kind(), stored.artifactId(), stored.name());
            }
            serve(replacement.get(), request, response, false);
            return;
        }
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
        try {
            if (local.isPresent()) {
                sendLocal(stored, local.get(), first, length, request, response);
            } else {
                sendStream(stored, first, length, response);
            }
        } catch (IOException e) {
            if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
                log.debug("Client went away while downloading {}", stored.path());
                return;
            }
            throw e;
        }
    }

    /**
     * Sends {@code length} bytes of a local file from {@code first} on: by sendfile where the
     * container offers it, else copied from the file's channel.
     *
     * <p>With sendfile, Tomcat opens the file by its name once the filters are done and has the
     * kernel send the bytes; all headers are set before, so filters see them (Content-Length too).
     * Why those bytes match the ETag and Content-Length sent: the store has just checked the file's
     * size ({@link ArtifactStore#localFile}) and never writes into a published file, since a new
     * publication renames complete files over the name. So Tomcat reads one whole version, this one
     * unless a publication of this very name lands between the check and Tomcat's open (the rest of
     * the filter chain, a few milliseconds): then the newer bytes go out under this ETag, and if
     * they are fewer Tomcat closes the connection early. The copy below and {@link
     * ArtifactStore#open} have a like window between check and open.
     *
     * <p>The bytes bypass the response's output stream: a filter that wraps the response to read
     * or change the body (Spring's ShallowEtagHeaderFilter, a content-caching wrapper) would not
     * see them; none is in this server's chain. Tomcat never compresses a sendfile answer.
     */
    private void sendLocal(
            StoredFile stored,
            Path file,
            long first,
            long length,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        if (length >= SENDFILE_MIN && Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT))) {
            request.setAttribute(SENDFILE_FILENAME, file.toAbsolutePath().toString());
            request.setAttribute(SENDFILE_START, first);
            request.setAttribute(SENDFILE_END, first + length);
            return;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException goneSinceChecked) {
            response.reset();
            throw notFound(stored.kind(), stored.artifactId(), stored.name());
        }
        try (channel) {
            copy(channel, first, length, response.getOutputStream());
        }
    }

    private void sendStream(StoredFile stored, long first, long length, HttpServletResponse response)
            throws IOException {
        InputStream in;
        try {
            in = store.open(stored, first);
        } catch (NoSuchFileException goneSinceFound) {
            response.reset();
            throw notFound(stored.kind(), stored.artifactId(), stored.name());
        }
        try (in) {
            copy(in, response.getOutputStream(), length);
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

    private static void copy(FileChannel in, long first, long length, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, length));
        long position = first;
        long end = first + length;
        while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int read = in.read(buffer, position);
            if (read < 0) {
                throw new IOException(
                        "the file ended " + (end - position) + " bytes early (changed on disk while sent?)");
            }
            out.write(buffer.array(), 0, read);
            position += read;
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
