package io.clusterplatform.provisioner.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.Shell;
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
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Downloads of built files over real HTTP, as booting hosts, distributors and curl make them. */
class ArtifactDownloadTest extends ServerIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final byte[] BYTES = ArtifactStoreContract.randomBytes(10_000);

    @Autowired
    ArtifactStore store;

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
