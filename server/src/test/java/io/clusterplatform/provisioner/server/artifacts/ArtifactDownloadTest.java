package io.clusterplatform.provisioner.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.timeline.HostFetchStore;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Pipeline;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Downloads of built files over real HTTP, as booting hosts, distributors and curl make them: small
 * files (copied) and files above {@link ArtifactDownloadController#SENDFILE_MIN} (Tomcat's sendfile).
 */
class ArtifactDownloadTest extends ServerIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final byte[] BYTES = ArtifactStoreContract.randomBytes(10_000);
    private static final byte[] LARGE = ArtifactStoreContract.randomBytes(3 << 20);

    @Autowired
    ArtifactStore store;

    @Autowired
    ArtifactDownloadController downloads;

    @Autowired
    HostFetchStore fetches;

    @Autowired
    ServletWebServerApplicationContext web;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private final UUID id = UUID.randomUUID();
    private StoredFile efi;
    private String efiPath;

    @BeforeEach
    void publishAnIpxeBinary() throws IOException {
        try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
            Files.write(staging.file("ipxe.efi"), BYTES);
            efi = staging.publish().getFirst();
        }
        efiPath = "/ipxes/" + id + "/ipxe.efi";
    }

    @Test
    void downloadsTheWholeFileWithoutATokenAndWithItsHeaders() throws Exception {
        HttpResponse<byte[]> response = send("GET", efiPath);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BYTES);
        assertThat(header(response, "Content-Length")).isEqualTo("10000");
        assertThat(header(response, "ETag")).isEqualTo("\"" + ArtifactStoreContract.sha256(BYTES) + "\"");
        assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
        Instant lastModified = ZonedDateTime.parse(
                        header(response, "Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
        assertThat(lastModified).isEqualTo(efi.lastModified());
    }

    /**
     * Booting hosts' downloads are answered by {@code bootpath/BootDownloadPath}, ahead of security and MVC; an
     * operator's (with a token) take the ordinary path through the controllers. Both give the same
     * status, bytes and headers for every kind of request, small and sendfile-sized, built files and
     * boot assets; the lean answers are on the timeline and counted as http.server.requests.
     */
    @Test
    void theBootingHostsPathAnswersAsTheControllersDo() throws Exception {
        StoredFile large = publishLarge();
        String asset = "lean-" + UUID.randomUUID().toString().substring(0, 8) + ".img";
        assertThat(api.asOperator().put("/api/assets/" + asset, BYTES).status()).isEqualTo(201);
        String etag = "\"" + large.sha256() + "\"";
        List<String[]> requests = List.of(
                new String[] {"GET", efiPath},
                new String[] {"HEAD", efiPath},
                new String[] {"GET", large.path()},
                new String[] {"GET", large.path(), "Range", "bytes=100-199999"},
                new String[] {"GET", efiPath, "Range", "bytes=-10"},
                new String[] {"GET", efiPath, "Range", "bytes=20000-"},
                new String[] {"GET", large.path(), "If-None-Match", etag},
                new String[] {"GET", large.path(), "Range", "bytes=0-9", "If-Range", "\"other\""},
                new String[] {"GET", "/assets/" + asset + "?artifactId=lab.site-1"},
                new String[] {"HEAD", "/assets/" + asset});
        double before = timed();
        WhichPath paths = new WhichPath();
        Pipeline pipeline =
                ((TomcatWebServer) web.getWebServer()).getTomcat().getHost().getPipeline();
        pipeline.addValve(paths);
        try {
            for (String[] request : requests) {
                String[] headers = Arrays.copyOfRange(request, 2, request.length);
                HttpResponse<byte[]> host = send(request[0], request[1], headers);
                String[] withToken = Arrays.copyOf(headers, headers.length + 2);
                withToken[headers.length] = "Authorization";
                withToken[headers.length + 1] = "Bearer " + OPERATOR_TOKEN;
                HttpResponse<byte[]> operator = send(request[0], request[1], withToken);

                String what = String.join(" ", request);
                assertThat(host.statusCode()).as(what).isEqualTo(operator.statusCode());
                assertThat(host.body()).as(what).isEqualTo(operator.body());
                Map<String, List<String>> hostHeaders =
                        new TreeMap<>(host.headers().map());
                Map<String, List<String>> operatorHeaders =
                        new TreeMap<>(operator.headers().map());
                hostHeaders.remove("date");
                operatorHeaders.remove("date");
                assertThat(hostHeaders).as(what).isEqualTo(operatorHeaders);
            }
        } finally {
            pipeline.removeValve(paths);
        }
        assertThat(paths.throughMvc).as("operators' downloads").hasSize(requests.size());
        assertThat(paths.lean).as("hosts' downloads").hasSize(requests.size());
        // each request is counted once on each path
        await("every answer counted as http.server.requests")
                .atMost(Timeouts.request())
                .until(() -> timed() - before, count -> count == 2.0 * requests.size());

        HttpResponse<byte[]> missing = send("GET", "/assets/no-such-" + asset);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(header(missing, "Content-Type")).isEqualTo("application/problem+json");

        await("the lean downloads on the timeline")
                .atMost(Timeouts.request())
                .until(() -> fetches.newest("127.0.0.1", 100).stream()
                        .anyMatch(f -> f.path().equals("/assets/" + asset + "?artifactId=lab.site-1")
                                && f.status() == 200
                                && Long.valueOf(BYTES.length).equals(f.bytes())));
    }

    /** How many downloads http.server.requests counted on the two download routes. */
    private double timed() {
        return java.util.stream.Stream.of("/assets/{name}", ArtifactDownloadController.PATH)
                .flatMap(uri -> meters.find("http.server.requests").tag("uri", uri).timers().stream())
                .mapToDouble(timer -> timer.count())
                .sum();
    }

    @Test
    void choosesTheContentTypeByExtension() throws Exception {
        try (ArtifactStaging staging = store.stage(ArtifactKind.ISOS, id)) {
            Files.writeString(staging.file("dist.iso"), "CD001");
            Files.writeString(staging.file("efi.zip"), "PK");
            staging.publish();
        }
        assertThat(header(send("GET", "/isos/" + id + "/dist.iso"), "Content-Type"))
                .isEqualTo("application/x-iso9660-image");
        assertThat(header(send("HEAD", "/isos/" + id + "/efi.zip"), "Content-Type"))
                .isEqualTo("application/zip");
    }

    @Test
    void servesTheFirstBytesOfARange() throws Exception {
        HttpResponse<byte[]> response = send("GET", efiPath, "Range", "bytes=0-99");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 0-99/10000");
        assertThat(header(response, "Content-Length")).isEqualTo("100");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(BYTES, 0, 100));
    }

    @Test
    void servesARangeFromTheMiddle() throws Exception {
        HttpResponse<byte[]> response = send("GET", efiPath, "Range", "bytes=4000-4999");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 4000-4999/10000");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(BYTES, 4000, 5000));
    }

    @Test
    void servesTheLastBytesForASuffixRange() throws Exception {
        HttpResponse<byte[]> response = send("GET", efiPath, "Range", "bytes=-100");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 9900-9999/10000");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(BYTES, 9900, 10_000));
    }

    @Test
    void servesAnOpenEndedRangeToTheEnd() throws Exception {
        HttpResponse<byte[]> response = send("GET", efiPath, "Range", "bytes=9000-");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 9000-9999/10000");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(BYTES, 9000, 10_000));
    }

    @Test
    void answersARangeBeyondTheEndWith416() throws Exception {
        HttpResponse<byte[]> response = send("GET", efiPath, "Range", "bytes=10000-");

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes */10000");
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        assertThat(text(response)).contains("Range not satisfiable").contains("10000 bytes");
    }

    @Test
    void headAnswersTheHeadersWithoutTheBytes() throws Exception {
        HttpResponse<byte[]> response = send("HEAD", efiPath);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo("10000");
        assertThat(header(response, "ETag")).isEqualTo("\"" + efi.sha256() + "\"");
        assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void answers304WhenTheClientHasTheSameFile() throws Exception {
        HttpResponse<byte[]> response = send("GET", efiPath, "If-None-Match", "\"" + efi.sha256() + "\"");

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "ETag")).isEqualTo("\"" + efi.sha256() + "\"");

        HttpResponse<byte[]> changed = send("GET", efiPath, "If-None-Match", "\"" + "0".repeat(64) + "\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(BYTES);
    }

    @Test
    void ifRangeServesThePartOnlyOfTheSameVersion() throws Exception {
        HttpResponse<byte[]> same = send("GET", efiPath, "Range", "bytes=0-9", "If-Range", "\"" + efi.sha256() + "\"");
        assertThat(same.statusCode()).isEqualTo(206);
        assertThat(same.body()).hasSize(10);

        HttpResponse<byte[]> other =
                send("GET", efiPath, "Range", "bytes=0-9", "If-Range", "\"" + "0".repeat(64) + "\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(BYTES);

        String lastModified =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(efi.lastModified().atZone(java.time.ZoneOffset.UTC));
        assertThat(send("GET", efiPath, "Range", "bytes=0-9", "If-Range", lastModified)
                        .statusCode())
                .isEqualTo(206);
    }

    @Test
    void anUnknownFileIsA404NamingTheArtifact() throws Exception {
        HttpResponse<byte[]> response = send("GET", "/ipxes/" + id + "/undionly.kpxe");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        assertThat(text(response)).contains("ipxes/" + id).contains("undionly.kpxe");
        assertThat(send("GET", "/isos/" + id + "/ipxe.efi").statusCode()).isEqualTo(404);
    }

    @Test
    void aMalformedArtifactIdIsA400() throws Exception {
        HttpResponse<byte[]> response = send("GET", "/ipxes/not-a-uuid/ipxe.efi");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response)).contains("must be a UUID");
    }

    @Test
    void neverServesAnythingOutsideTheStore() throws Exception {
        Files.writeString(dataDir().resolve("secret.txt"), "TOP-SECRET");
        Files.writeString(dataDir().resolve("artifacts").resolve("secret.txt"), "TOP-SECRET");
        UUID other = UUID.randomUUID();
        List<String> attempts = List.of(
                "/ipxes/" + id + "/../../../secret.txt",
                "/ipxes/" + id + "/..%2F..%2F..%2Fsecret.txt",
                "/ipxes/" + id + "/..%2f..%2fsecret.txt",
                "/ipxes/" + id + "/%2e%2e/%2e%2e/%2e%2e/secret.txt",
                "/ipxes/" + id + "/%2e%2e%2f%2e%2e%2fsecret.txt",
                "/ipxes/" + id + "/..%5c..%5c..%5csecret.txt",
                "/ipxes/" + id + "/%252e%252e%252fsecret.txt",
                "/ipxes/%2e%2e/%2e%2e/secret.txt",
                "/ipxes/../../secret.txt",
                "/ipxes/" + other + "/..%2F" + id + "%2Fipxe.efi",
                "/ipxes/" + id + "/ipxe.efi%00.txt",
                "/ipxes/" + id + "/.%2e/.%2e/.%2e/secret.txt",
                "/isos/..;/..;/secret.txt");
        for (String attempt : attempts) {
            Shell.Result curl = Shell.run(
                    List.of(
                            "curl",
                            "-s",
                            "--path-as-is",
                            "-o",
                            "-",
                            "-w",
                            "\n%{http_code}",
                            "http://127.0.0.1:" + port + attempt),
                    Timeouts.process());
            String status = curl.stdout().substring(curl.stdout().lastIndexOf('\n') + 1);
            assertThat(status).as(attempt).isIn("400", "401", "404");
            assertThat(curl.stdout()).as(attempt).doesNotContain("TOP-SECRET");

            HttpResponse<byte[]> java = send("GET", attempt);
            assertThat(java.statusCode()).as(attempt).isIn(400, 401, 404);
            assertThat(text(java)).as(attempt).doesNotContain("TOP-SECRET");
        }
    }

    @Test
    void curlFetchesARangeAndResumesAnInterruptedDownload() throws Exception {
        Path dir = Files.createTempDirectory("artifact-curl-");
        String url = "http://127.0.0.1:" + port + efiPath;

        Shell.Result range = Shell.run(
                List.of(
                        "curl",
                        "-sS",
                        "-f",
                        "-r",
                        "0-99",
                        "-o",
                        dir.resolve("first").toString(),
                        url),
                Timeouts.process());
        assertThat(range.exitCode()).as(range.stderr()).isZero();
        assertThat(dir.resolve("first")).hasBinaryContent(Arrays.copyOfRange(BYTES, 0, 100));

        Path partial = dir.resolve("ipxe.efi");
        Files.write(partial, Arrays.copyOfRange(BYTES, 0, 3333));
        Shell.Result resume =
                Shell.run(List.of("curl", "-sS", "-f", "-C", "-", "-o", partial.toString(), url), Timeouts.process());
        assertThat(resume.exitCode()).as(resume.stderr()).isZero();
        assertThat(partial).hasBinaryContent(BYTES);
        Shell.Result sha256sum = Shell.run(List.of("sha256sum", partial.toString()), Timeouts.process());
        assertThat(sha256sum.stdout()).startsWith(efi.sha256() + " ");
    }

    @Test
    void streamsALargeFile() throws Exception {
        long size = 64L << 20;
        StoredFile large;
        try (ArtifactStaging staging = store.stage(ArtifactKind.ISOS, id)) {
            try (RandomAccessFile file =
                    new RandomAccessFile(staging.file("large.iso").toFile(), "rw")) {
                file.setLength(size); // sparse: 64 MiB of zeros without writing them
                file.seek(size - 4);
                file.write("END!".getBytes(StandardCharsets.US_ASCII));
            }
            large = staging.publish().getFirst();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + large.path()))
                .timeout(Timeouts.request())
                .build();

        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long received = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                sha256.update(buffer, 0, read);
                received += read;
            }
        }
        assertThat(received).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(sha256.digest())).isEqualTo(large.sha256());
        HttpResponse<byte[]> tail = send("GET", large.path(), "Range", "bytes=-4");
        assertThat(tail.body()).asString(StandardCharsets.US_ASCII).isEqualTo("END!");
    }

    @Test
    void aFileAboveTheSendfileThresholdArrivesWholeWithItsHeaders() throws Exception {
        StoredFile large = publishLarge();

        HttpResponse<byte[]> response = send("GET", large.path());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(LARGE.length));
        assertThat(ArtifactStoreContract.sha256(response.body())).isEqualTo(large.sha256());
        assertThat(header(response, "ETag")).isEqualTo("\"" + large.sha256() + "\"");
        assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
        await("the host fetch to be recorded with its length")
                .atMost(Timeouts.request())
                .until(() -> fetches.newest("127.0.0.1", 20).stream()
                        .anyMatch(f -> f.path().equals(large.path())
                                && Long.valueOf(LARGE.length).equals(f.bytes())));
    }

    @Test
    void aFileAboveTheSendfileThresholdServesRangesFromTheMiddleToTheEndAndFromTheEnd() throws Exception {
        StoredFile large = publishLarge();
        int size = LARGE.length;

        HttpResponse<byte[]> middle = send("GET", large.path(), "Range", "bytes=1000000-1999999");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(header(middle, "Content-Range")).isEqualTo("bytes 1000000-1999999/" + size);
        assertThat(header(middle, "Content-Length")).isEqualTo("1000000");
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(LARGE, 1_000_000, 2_000_000));

        HttpResponse<byte[]> openEnded = send("GET", large.path(), "Range", "bytes=3000000-");
        assertThat(openEnded.statusCode()).isEqualTo(206);
        assertThat(header(openEnded, "Content-Range")).isEqualTo("bytes 3000000-" + (size - 1) + "/" + size);
        assertThat(openEnded.body()).isEqualTo(Arrays.copyOfRange(LARGE, 3_000_000, size));

        HttpResponse<byte[]> suffix = send("GET", large.path(), "Range", "bytes=-100000");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(header(suffix, "Content-Range"))
                .isEqualTo("bytes " + (size - 100_000) + "-" + (size - 1) + "/" + size);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(LARGE, size - 100_000, size));
    }

    @Test
    void aFileAboveTheSendfileThresholdAnswersHeadAnd304WithoutTheBytes() throws Exception {
        StoredFile large = publishLarge();

        HttpResponse<byte[]> head = send("HEAD", large.path());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(LARGE.length));

        HttpResponse<byte[]> same = send("GET", large.path(), "If-None-Match", "\"" + large.sha256() + "\"");
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
    }

    @Test
    void theEmbeddedTomcatSendsLargeFilesByItselfWithoutTheServletWritingThem() throws Exception {
        StoredFile large = publishLarge();
        Path onDisk = store.localFile(large).orElseThrow();
        WhatTheApplicationWrote watcher = new WhatTheApplicationWrote();
        Pipeline pipeline =
                ((TomcatWebServer) web.getWebServer()).getTomcat().getHost().getPipeline();
        pipeline.addValve(watcher);
        try {
            HttpResponse<byte[]> whole = send("GET", large.path());
            HttpResponse<byte[]> part = send("GET", large.path(), "Range", "bytes=100000-199999");
            HttpResponse<byte[]> small = send("GET", efiPath);

            assertThat(whole.body()).isEqualTo(LARGE);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(LARGE, 100_000, 200_000));
            assertThat(small.body()).isEqualTo(BYTES);
        } finally {
            pipeline.removeValve(watcher);
        }
        assertThat(watcher.answers)
                .filteredOn(answer ->
                        answer.path().equals(large.path()) || answer.path().equals(efiPath))
                .containsExactly(
                        new Answer(large.path(), onDisk.toString(), 0),
                        new Answer(large.path(), onDisk.toString(), 0),
                        new Answer(efiPath, null, BYTES.length));
    }

    @Test
    void serveHandsAFileToSendfileWhenTheContainerOffersIt() throws Exception {
        StoredFile large = publishLarge();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", large.path());
        request.setAttribute(ArtifactDownloadController.SENDFILE_SUPPORT, Boolean.TRUE);
        request.addHeader("Range", "bytes=1000-1999999");
        MockHttpServletResponse response = new MockHttpServletResponse();

        downloads.serve(large, request, response);

        assertThat(response.getStatus()).isEqualTo(206);
        assertThat(response.getHeader("Content-Length")).isEqualTo("1999000");
        assertThat(response.getHeader("Content-Range")).isEqualTo("bytes 1000-1999999/" + LARGE.length);
        assertThat(response.getContentAsByteArray()).isEmpty();
        Path file = Path.of((String) request.getAttribute(ArtifactDownloadController.SENDFILE_FILENAME));
        assertThat(file).isAbsolute().hasBinaryContent(LARGE);
        assertThat(request.getAttribute(ArtifactDownloadController.SENDFILE_START))
                .isEqualTo(1000L);
        assertThat(request.getAttribute(ArtifactDownloadController.SENDFILE_END))
                .isEqualTo(2_000_000L);
    }

    @Test
    void serveCopiesTheBytesWhereSendfileIsNotOfferedAndForSmallFiles() throws Exception {
        StoredFile large = publishLarge();
        MockHttpServletRequest otherContainer = new MockHttpServletRequest("GET", large.path());
        otherContainer.addHeader("Range", "bytes=-70000");
        MockHttpServletResponse copied = new MockHttpServletResponse();

        downloads.serve(large, otherContainer, copied);

        assertThat(copied.getStatus()).isEqualTo(206);
        assertThat(copied.getContentAsByteArray())
                .isEqualTo(Arrays.copyOfRange(LARGE, LARGE.length - 70_000, LARGE.length));
        assertThat(otherContainer.getAttribute(ArtifactDownloadController.SENDFILE_FILENAME))
                .isNull();

        MockHttpServletRequest smallFile = new MockHttpServletRequest("GET", efiPath);
        smallFile.setAttribute(ArtifactDownloadController.SENDFILE_SUPPORT, Boolean.TRUE);
        MockHttpServletResponse small = new MockHttpServletResponse();
        downloads.serve(efi, smallFile, small);

        assertThat(small.getContentAsByteArray()).isEqualTo(BYTES);
        assertThat(smallFile.getAttribute(ArtifactDownloadController.SENDFILE_FILENAME))
                .isNull();
    }

    @Test
    void aFileReplacedSinceItWasFoundIsServedAsTheNewOneAndADeletedOneIsA404() throws Exception {
        StoredFile found = publishLarge();
        byte[] newer = ArtifactStoreContract.randomBytes(LARGE.length + 1);
        StoredFile replacement;
        try (ArtifactStaging staging = store.stage(found.kind(), found.artifactId())) {
            Files.write(staging.file(found.name()), newer);
            replacement = staging.publish().getFirst();
        }
        MockHttpServletRequest request = new MockHttpServletRequest("GET", found.path());
        MockHttpServletResponse response = new MockHttpServletResponse();

        downloads.serve(found, request, response);

        assertThat(response.getHeader("ETag")).isEqualTo("\"" + replacement.sha256() + "\"");
        assertThat(response.getContentAsByteArray()).isEqualTo(newer);

        store.delete(found.kind(), found.artifactId());
        assertThatThrownBy(() -> downloads.serve(
                        replacement, new MockHttpServletRequest("GET", found.path()), new MockHttpServletResponse()))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("has no file '" + found.name() + "'");
    }

    /** Publishes {@link #LARGE}, above the size from which files go by sendfile. */
    private StoredFile publishLarge() throws IOException {
        assertThat((long) LARGE.length).isGreaterThan(ArtifactDownloadController.SENDFILE_MIN);
        try (ArtifactStaging staging = store.stage(ArtifactKind.ISOS, id)) {
            Files.write(staging.file("dist.iso"), LARGE);
            return staging.publish().getFirst();
        }
    }

    /** One answer as Tomcat saw it: the file handed to sendfile, and the bytes the application wrote. */
    record Answer(String path, String sendfile, long applicationWrote) {}

    /** Notes, for each request, what the application left for Tomcat to send. */
    /** Which requests reached Spring MVC (a handler's pattern was matched) and which were answered ahead of it. */
    private static final class WhichPath extends ValveBase {
        final List<String> throughMvc = new CopyOnWriteArrayList<>();
        final List<String> lean = new CopyOnWriteArrayList<>();

        WhichPath() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            getNext().invoke(request, response);
            boolean mvc =
                    request.getAttribute(org.springframework.web.servlet.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)
                            != null;
            (mvc ? throughMvc : lean).add(request.getMethod() + " " + request.getRequestURI());
        }
    }

    private static final class WhatTheApplicationWrote extends ValveBase {
        final List<Answer> answers = new CopyOnWriteArrayList<>();

        WhatTheApplicationWrote() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            getNext().invoke(request, response);
            answers.add(new Answer(
                    request.getRequestURI(),
                    (String) request.getAttribute(ArtifactDownloadController.SENDFILE_FILENAME),
                    response.getContentWritten()));
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Timeouts.request())
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
