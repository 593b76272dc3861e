package io.clusterplatform.provisioner.server.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.clusterplatform.provisioner.core.bootloaders.IpxeScript;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the {@code ipxe.img} of an EFI iPXE artifact as a disk of a UEFI host (qemu, OVMF, software
 * emulation): iPXE runs the {@code autoexec.ipxe} on the image, which fetches a script from an HTTP
 * server of this test. The guest's only way out is qemu's user network with {@code restrict=on} and
 * one forward from the guest address 10.0.2.100:80 to the test's server on 127.0.0.1.
 */
class IpxeImageBootTest {
    private static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    private static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    @TempDir
    Path dir;

    private HttpServer http;
    private Process qemu;

    @AfterEach
    void stop() throws InterruptedException {
        if (qemu != null && qemu.isAlive()) {
            qemu.destroyForcibly();
            qemu.waitFor(10, TimeUnit.SECONDS);
        }
        if (http != null) {
            http.stop(0);
        }
    }

    @Test
    void efiImageBootsUnderOvmfAndRunsItsScript() throws Exception {
        CompletableFuture<String> fetched = new CompletableFuture<>();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "#!ipxe\necho chained\npoweroff\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            fetched.complete(exchange.getRequestURI().getPath());
        });
        http.start();
        int port = http.getAddress().getPort();

        IpxeBuild build = new IpxeBuild(TestBootloaders.systemSource(), TestBootloaders.tools());
        build.build(
                IpxeTarget.X86_64_EFI,
                new IpxeScript("#!ipxe\ndhcp\nchain http://10.0.2.100/booted-from-image\npoweroff"),
                dir);
        Path vars = Files.copy(OVMF_VARS, dir.resolve("OVMF_VARS.fd"));

        assertThat(ToolRunner.locate("qemu-system-x86_64"))
                .as("qemu-system-x86_64 not found: install qemu-system-x86 and ovmf")
                .isPresent();
        qemu = new ProcessBuilder(List.of(
                        "qemu-system-x86_64",
                        "-accel",
                        "tcg",
                        "-m",
                        "256",
                        "-nographic",
                        "-no-reboot",
                        "-monitor",
                        "none",
                        "-serial",
                        "null",
                        "-drive",
                        "if=pflash,format=raw,unit=0,readonly=on,file=" + OVMF_CODE,
                        "-drive",
                        "if=pflash,format=raw,unit=1,file=" + vars,
                        "-drive",
                        "file=" + dir.resolve("ipxe.img") + ",format=raw,if=none,id=disk,snapshot=on",
                        "-device",
                        "virtio-blk-pci,drive=disk,bootindex=0",
                        "-netdev",
                        "user,id=net,restrict=on,guestfwd=tcp:10.0.2.100:80-tcp:127.0.0.1:" + port,
                        "-device",
                        "virtio-net-pci,netdev=net,romfile="))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();

        Duration timeout = Timeouts.scaled(Duration.ofSeconds(120));
        try {
            assertThat(fetched.get(timeout.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("/booted-from-image");
        } catch (TimeoutException e) {
            throw new AssertionError("the UEFI host did not fetch the script within " + timeout + "; qemu said: "
                    + Files.readString(dir.resolve("qemu.log")));
        }
        assertThat(qemu.waitFor(Timeouts.scaled(Duration.ofSeconds(30)).toSeconds(), TimeUnit.SECONDS))
                .as("the chained script powers the host off")
                .isTrue();
    }
}
