package io.clusterplatform.provisioner.core.distributors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsmasqConfigTest {
    private static final Path ROOT = Path.of("/var/lib/provisioner/distributor/tftp");

    @Test
    void rendersProxyDhcpWithOneServicePerClientTypeAndIpxeDetection() {
        String conf = DnsmasqConfig.render(
                "felicitas.pojtinger.swabia.sol",
                "enp0s25",
                "192.168.178.1",
                ROOT,
                List.of(
                        new PxeBootloader(PxeArchitecture.BIOS, "bios/ipxe.kpxe", "http://p:8080/ipxes/a/script.ipxe"),
                        new PxeBootloader(
                                PxeArchitecture.UEFI_X64, "uefi/ipxe.efi", "http://p:8080/ipxes/b/script.ipxe")));

        assertThat(conf.lines())
                .contains(
                        "port=0",
                        "interface=enp0s25",
                        "bind-interfaces",
                        "dhcp-range=192.168.178.1,proxy",
                        "enable-tftp",
                        "tftp-root=/var/lib/provisioner/distributor/tftp",
                        "tftp-max=1000",
                        "dhcp-userclass=set:ipxe,iPXE",
                        "dhcp-match=set:ipxe,175",
                        "pxe-service=tag:!ipxe,x86PC,\"iPXE (bios)\",bios/ipxe.kpxe",
                        "pxe-service=tag:ipxe,x86PC,\"iPXE script\",http://p:8080/ipxes/a/script.ipxe",
                        "pxe-service=tag:!ipxe,X86-64_EFI,\"iPXE (uefi)\",uefi/ipxe.efi",
                        "pxe-service=tag:!ipxe,BC_EFI,\"iPXE (uefi)\",uefi/ipxe.efi",
                        "pxe-service=tag:ipxe,X86-64_EFI,\"iPXE script\",http://p:8080/ipxes/b/script.ipxe");
        assertThat(conf).doesNotContain("dhcp-range=192.168.178.1,192.168");
    }

    @Test
    void aBootloaderWithoutScriptGetsNoIpxeService() {
        String conf = DnsmasqConfig.render(
                "a",
                "eth0",
                "10.0.0.1",
                ROOT,
                List.of(new PxeBootloader(PxeArchitecture.ARM64_UEFI, "arm64/ipxe.efi", null)));

        assertThat(conf).contains("pxe-service=tag:!ipxe,ARM64_EFI,\"iPXE (arm64)\",arm64/ipxe.efi");
        assertThat(conf).doesNotContain("tag:ipxe,ARM64_EFI");
    }

    @Test
    void noInputCanAddALine() {
        assertThatThrownBy(() -> DnsmasqConfig.render("a", "eth0\nport=53", "10.0.0.1", ROOT, List.of()))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("'device'");
        assertThatThrownBy(() -> DnsmasqConfig.render("a", "eth0", "10.0.0.1\nx", ROOT, List.of()))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("'range'");
        assertThatThrownBy(() -> new PxeBootloader(PxeArchitecture.BIOS, "../etc/passwd", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PxeBootloader(PxeArchitecture.BIOS, "bios/x\nenable-ra", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PxeBootloader(PxeArchitecture.BIOS, "bios/ipxe.kpxe", "http://h/a,b"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("comma");
        assertThatThrownBy(() -> new PxeBootloader(PxeArchitecture.BIOS, "bios/ipxe.kpxe", "http://h/a\nport=53"))
                .isInstanceOf(ProblemException.class);
        assertThat(DnsmasqConfig.render("bad\nline", "eth0", "10.0.0.1", ROOT, List.of())
                        .lines())
                .noneMatch(l -> l.equals("line."));
    }

    /** A BIOS-only site answers UEFI firmware with a file that names what is missing, so its timeline says so. */
    @Test
    void anArchitectureWithoutBootloaderIsAnsweredWithAFileNamingIt() {
        String conf = DnsmasqConfig.render(
                "a",
                "eth0",
                "10.0.0.1",
                ROOT,
                List.of(new PxeBootloader(
                        PxeArchitecture.BIOS, "bios/ipxe.kpxe", "http://p:8080/ipxes/a/script.ipxe")));

        assertThat(conf.lines())
                .contains(
                        "pxe-service=tag:!ipxe,x86PC,\"iPXE (bios)\",bios/ipxe.kpxe",
                        "pxe-service=tag:!ipxe,X86-64_EFI,\"no iPXE for UEFI x86-64 hosts on this site\",not-configured/uefi",
                        "pxe-service=tag:!ipxe,BC_EFI,\"no iPXE for UEFI x86-64 hosts on this site\",not-configured/uefi",
                        "pxe-service=tag:!ipxe,ARM64_EFI,\"no iPXE for UEFI arm64 hosts on this site\",not-configured/arm64")
                .noneMatch(line -> line.contains("x86PC,\"no iPXE"));
        assertThat(DnsmasqConfig.notConfigured("not-configured/uefi")).contains(PxeArchitecture.UEFI_X64);
        assertThat(DnsmasqConfig.notConfigured("uefi/ipxe.efi")).isEmpty();
    }
}
