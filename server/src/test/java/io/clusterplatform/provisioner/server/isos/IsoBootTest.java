package io.clusterplatform.provisioner.server.isos;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import io.clusterplatform.provisioner.server.bootloaders.BootloaderSource;
import io.clusterplatform.provisioner.server.bootloaders.TestBootloaders;
import io.clusterplatform.provisioner.server.testing.QemuHost;
import io.clusterplatform.provisioner.server.testing.QemuHost.Firmware;
import io.clusterplatform.provisioner.server.testing.QemuHost.Media;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ISO layout really boots: BIOS and UEFI hosts, from CD and from USB, each runs the script. */
class IsoBootTest {
    private static final List<String> served = new CopyOnWriteArrayList<>();
    private static HttpServer http;
    private static ThrowawayDirectory work;
    private static Path iso;

    @BeforeAll
    static void buildIso() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            served.add(exchange.getRequestURI().getPath());
            byte[] body = "#!ipxe\necho served by the test\npoweroff\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        work = ThrowawayDirectory.create("provisioner-isoboot-");
        Path script = work.path().resolve("script.ipxe");
        Files.writeString(
                script,
                "#!ipxe\ndhcp\nchain http://" + QemuHost.HOST_LOOPBACK + ":"
                        + http.getAddress().getPort() + "/api/mainscripts/1\n");
        BootloaderSource source = TestBootloaders.systemSource();
        IsoLayout layout = new IsoLayout(
                "CPP TEST ISO",
                source.ipxe(IpxeTarget.LKRN),
                source.ipxe(IpxeTarget.X86_64_EFI),
                script,
                source.syslinux(SyslinuxFragment.ISOLINUX_BIN),
                source.syslinux(SyslinuxFragment.LDLINUX_C32),
                source.syslinux(SyslinuxFragment.ISOHDPFX_BIN),
                null,
                null,
                null);
        iso = work.path().resolve("dist.iso");
        new IsoBuild(TestBootloaders.tools()).build(layout, work.path(), iso, (p, m) -> {});
    }

    @AfterAll
    static void cleanUp() {
        http.stop(0);
        work.close();
    }

    @ParameterizedTest(name = "{0} host boots the ISO as {1}")
    @CsvSource({"BIOS, CDROM", "BIOS, USB_DISK", "UEFI, CDROM", "UEFI, USB_DISK"})
    void hostBootsTheIsoAndRunsTheScript(Firmware firmware, Media media) {
        served.clear();
        try (QemuHost host = QemuHost.boot(firmware, media, iso)) {
            host.awaitPowerOff(Duration.ofMinutes(3));
            assertThat(served).as("requests the host made; %s", host.output()).contains("/api/mainscripts/1");
        }
    }
}
