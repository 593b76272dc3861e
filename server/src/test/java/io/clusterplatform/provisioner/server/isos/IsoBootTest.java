package io.clusterplatform.provisioner.server.isos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.server.bootloaders.TestBootloaders;
import io.clusterplatform.provisioner.server.builds.Builds;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.QemuHost;
import io.clusterplatform.provisioner.server.testing.QemuHost.Firmware;
import io.clusterplatform.provisioner.server.testing.QemuHost.Media;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ISOs built by the running server really boot: qemu hosts (software emulation) with BIOS and UEFI
 * firmware, from CD and from USB, run the ISO's script, which fetches a mainscript from this server
 * over HTTP; the server's access log shows each fetch.
 */
class IsoBootTest {
    private static ThrowawayDirectory logs;
    private static ThrowawayDirectory downloads;
    private static StandaloneServer server;
    private static long mainscriptId;

    @BeforeAll
    static void startServer() {
        logs = ThrowawayDirectory.create("provisioner-accesslog-");
        downloads = ThrowawayDirectory.create("provisioner-isos-");
        server = StandaloneServer.startFresh(
                "--server.tomcat.accesslog.enabled=true",
                "--server.tomcat.accesslog.directory=" + logs.path(),
                "--server.tomcat.accesslog.buffered=false",
                "--server.tomcat.accesslog.pattern=%h %r %s");
        mainscriptId = server.api()
                .asOperator()
                .post(
                        "/api/mainscripts",
                        Json.body(Map.of("text", "#!ipxe\necho booted through the provisioner\npoweroff\n")))
                .json()
                .get("id")
                .asLong();
    }

    @AfterAll
    static void stopServer() {
        server.close();
        logs.close();
        downloads.close();
    }

    /** What a host in qemu's user network runs to reach this server's mainscript (JSON-escaped). */
    private static String bootScript() {
        return "#!ipxe\ndhcp\nchain http://" + QemuHost.HOST_LOOPBACK + ":" + server.port() + "/api/mainscripts/"
                + mainscriptId + "\n";
    }

    private static long mainscriptFetches() throws IOException {
        String request = "GET /api/mainscripts/" + mainscriptId + " HTTP/1.1 200";
        try (Stream<Path> files = Files.list(logs.path())) {
            long count = 0;
            for (Path file : files.toList()) {
                count += Files.readAllLines(file).stream()
                        .filter(line -> line.contains(request))
                        .count();
            }
            return count;
        }
    }

    private static Path download(JsonNode build, String name) throws IOException {
        Api api = server.api();
        Path target = Files.createTempFile(downloads.path(), "dist-", ".iso");
        String path = Builds.file(build, name).get("url").asText().replaceFirst("^http://[^/]+", "");
        HttpResponse<Path> response = api.send(api.builder(path).GET(), HttpResponse.BodyHandlers.ofFile(target));
        assertThat(response.statusCode()).isEqualTo(200);
        return target;
    }

    private static void bootAndExpectMainscriptFetch(Firmware firmware, Media media, Path iso) throws IOException {
        long before = mainscriptFetches();
        try (QemuHost host = QemuHost.boot(firmware, media, iso)) {
            host.awaitPowerOff(Duration.ofMinutes(3));
            assertThat(mainscriptFetches())
                    .as("mainscript fetches; qemu said: %s", host.output())
                    .isEqualTo(before + 1);
        }
    }

    @ParameterizedTest(name = "{0} host boots the one-call ISO as {1}")
    @CsvSource({"BIOS, CDROM", "BIOS, USB_DISK", "UEFI, CDROM"})
    void oneCallIsoBootsAndRunsTheScript(Firmware firmware, Media media) throws IOException {
        Api api = server.api();
        JsonNode queued = Builds.queue(api, "isos", Map.of("label", "CPP E2E", "script", bootScript()));
        Path iso = download(Builds.awaitDone(api, "isos", queued.get("id").asLong()), "dist.iso");
        bootAndExpectMainscriptFetch(firmware, media, iso);
    }

    @Test
    void isoFromTheOriginalsNineFragmentsBootsBiosAndUefiFromUsb() throws IOException {
        Api api = server.api();
        String label = "Cluster Platform Provisioner ISO";
        String efi = url(api, "ipxes", Builds.ipxe(bootScript(), "bin-x86_64-efi", "efi"));
        String lkrn = url(api, "ipxes", Builds.ipxe(bootScript(), "bin", "lkrn"));
        String grubImg = url(api, "grubs", Builds.grub(label, "x64", "img"));
        String grubX64 = url(api, "grubs", Builds.grub(label, "x64", "efi"));
        String grubX86 = url(api, "grubs", Builds.grub(label, "x86", "efi"));
        String ldlinux = url(api, "syslinuxs", Map.of("fragment", "ldlinux.c32"));
        String isolinux = url(api, "syslinuxs", Map.of("fragment", "isolinux.bin"));
        String isohdpfx = url(api, "syslinuxs", Map.of("fragment", "isohdpfx.bin"));
        JsonNode queued = Builds.queue(
                api,
                "isos",
                Json.object(
                        "label",
                        label,
                        "ipxeUefiUrl",
                        efi,
                        "ipxeBiosUrl",
                        lkrn,
                        "grubImgUrl",
                        grubImg,
                        "grubEfiX64Url",
                        grubX64,
                        "grubEfiX86Url",
                        grubX86,
                        "ldLinuxUrl",
                        ldlinux,
                        "isolinuxBinUrl",
                        isolinux,
                        "isohdpfxBinUrl",
                        isohdpfx));
        Path iso = download(Builds.awaitDone(api, "isos", queued.get("id").asLong()), "dist.iso");
        bootAndExpectMainscriptFetch(Firmware.UEFI, Media.USB_DISK, iso);
        bootAndExpectMainscriptFetch(Firmware.BIOS, Media.USB_DISK, iso);
    }

    private static String url(Api api, String kind, Map<String, ?> request) {
        return Builds.awaitDone(
                        api, kind, Builds.queue(api, kind, request).get("id").asLong())
                .get("url")
                .asText();
    }

    /**
     * The {@code /grubs} image boots on its own: OVMF starts GRUB, GRUB finds the ISO by its label and
     * reads its {@code grub.cfg}, which chainloads iPXE; iPXE boots what DHCP names (the mainscript).
     */
    @Test
    void grubImageFindsTheIsoByLabelAndChainsIpxe() throws Exception {
        Api api = server.api();
        String label = "CPP GRUB LABEL";
        JsonNode grub = Builds.awaitDone(
                api,
                "grubs",
                Builds.queue(api, "grubs", Builds.grub(label, "x64", "img"))
                        .get("id")
                        .asLong());
        Path tree = Files.createDirectories(downloads.path().resolve("grub-tree"));
        Files.createDirectories(tree.resolve("boot/grub"));
        Files.createDirectories(tree.resolve("ipxe"));
        Files.createDirectories(tree.resolve("EFI"));
        Files.writeString(tree.resolve("boot/grub/grub.cfg"), IsoBuild.grubConfig(label));
        Files.copy(TestBootloaders.systemSource().ipxe(IpxeTarget.X86_64_EFI), tree.resolve("ipxe/ipxe.efi"));
        Files.copy(download(grub, "grub.img"), tree.resolve("EFI/grub.img"));
        Path iso = downloads.path().resolve("grub-first.iso");
        Shell.Result xorriso = Shell.run(
                List.of(
                        "xorriso",
                        "-as",
                        "mkisofs",
                        "-o",
                        iso.toString(),
                        "-V",
                        label,
                        "-J",
                        "-R",
                        "-e",
                        "EFI/grub.img",
                        "-no-emul-boot",
                        tree.toString()),
                Duration.ofMinutes(2));
        assertThat(xorriso.exitCode()).as(xorriso.stderr()).isZero();
        long before = mainscriptFetches();
        String bootfile = "http://" + QemuHost.HOST_LOOPBACK + ":" + server.port() + "/api/mainscripts/" + mainscriptId;
        try (QemuHost host = QemuHost.boot(Firmware.UEFI, Media.CDROM, iso, bootfile)) {
            host.awaitPowerOff(Duration.ofMinutes(3));
            assertThat(mainscriptFetches()).as("qemu said: %s", host.output()).isEqualTo(before + 1);
        }
    }
}
