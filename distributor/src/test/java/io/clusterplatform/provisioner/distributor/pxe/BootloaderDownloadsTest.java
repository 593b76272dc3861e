package io.clusterplatform.provisioner.distributor.pxe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.distributors.protocol.Bootloader;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server on loopback. */
class BootloaderDownloadsTest {
    private static final byte[] IPXE = "pretend this is ipxe.efi".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tftp;

    private HttpServer http;
    private final AtomicInteger requests = new AtomicInteger();
    private BootloaderDownloads downloads;

    @BeforeEach
    void serve() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/ipxes/a/ipxe.efi", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, IPXE.length);
            exchange.getResponseBody().write(IPXE);
            exchange.close();
        });
        http.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        http.start();
        downloads = new BootloaderDownloads(tftp, new ServerLink(URI.create(base()), "unused", new ObjectMapper()));
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void downloadsVerifiesAndKeepsAFileItAlreadyHas() throws Exception {
        Bootloader source = source(base() + "/ipxes/a/ipxe.efi", sha256(IPXE));

        BootloaderDownloads.Fetched first = downloads.fetch(PxeArchitecture.UEFI_X64, source);
        BootloaderDownloads.Fetched second = downloads.fetch(PxeArchitecture.UEFI_X64, source);

        assertThat(first.bootloader().tftpFile()).isEqualTo("uefi/ipxe.efi");
        assertThat(Files.readAllBytes(tftp.resolve("uefi/ipxe.efi"))).isEqualTo(IPXE);
        assertThat(first.report()).contains("verified against the server's checksum");
        assertThat(second.report()).contains("already present");
        assertThat(requests).hasValue(1);
        assertThat(Files.getPosixFilePermissions(tftp.resolve("uefi/ipxe.efi")).toString())
                .contains("OTHERS_READ");
    }

    @Test
    void refusesAFileWhoseChecksumDiffersAndKeepsNothing() {
        assertThatThrownBy(() ->
                        downloads.fetch(PxeArchitecture.UEFI_X64, source(base() + "/ipxes/a/ipxe.efi", "0".repeat(64))))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("but the server said " + "0".repeat(64));
        assertThat(tftp.resolve("uefi")).isEmptyDirectory();
    }

    @Test
    void namesTheUrlAndStatusWhenTheDownloadFails() {
        assertThatThrownBy(() -> downloads.fetch(PxeArchitecture.UEFI_X64, source(base() + "/missing/ipxe.efi", null)))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("cannot download ipxePxeUefiUrl " + base() + "/missing/ipxe.efi: HTTP 404");
        assertThatThrownBy(() -> downloads.fetch(PxeArchitecture.UEFI_X64, source("http://127.0.0.1:1/ipxe.efi", null)))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("cannot download ipxePxeUefiUrl http://127.0.0.1:1/ipxe.efi");
    }

    @Test
    void usesTheUrlsFileNameOnlyWhenItIsAPlainName() {
        assertThat(BootloaderDownloads.fileName(URI.create("http://h/ipxes/x/ipxe.kpxe")))
                .isEqualTo("ipxe.kpxe");
        assertThat(BootloaderDownloads.fileName(URI.create("http://h/boot?x=1")))
                .isEqualTo("boot");
        assertThat(BootloaderDownloads.fileName(URI.create("http://h/"))).isEqualTo("ipxe.bin");
        assertThat(BootloaderDownloads.fileName(URI.create("http://h/.hidden"))).isEqualTo("ipxe.bin");
    }

    private String base() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private static Bootloader source(String url, String sha) {
        return new Bootloader(url, sha, null);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
