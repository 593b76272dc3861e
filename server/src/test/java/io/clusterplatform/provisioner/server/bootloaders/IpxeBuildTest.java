package io.clusterplatform.provisioner.server.bootloaders;

import static io.clusterplatform.provisioner.server.bootloaders.TestBootloaders.extractFromFat;
import static io.clusterplatform.provisioner.server.bootloaders.TestBootloaders.run;
import static io.clusterplatform.provisioner.server.bootloaders.TestBootloaders.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.bootloaders.IpxeScript;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpxeBuildTest {
    private static final IpxeScript SCRIPT =
            new IpxeScript("#!ipxe\ndhcp\nchain http://10.0.2.2:8080/api/mainscripts/1");

    private final SystemBootloaderSource source = TestBootloaders.systemSource();
    private final IpxeBuild build = new IpxeBuild(source, TestBootloaders.tools());

    @TempDir
    Path out;

    @Test
    void efiArtifactIsTheUnchangedBinaryTheScriptAndABootableFatImage() throws Exception {
        List<Path> files = build.build(IpxeTarget.X86_64_EFI, SCRIPT, out);

        assertThat(files)
                .containsExactly(
                        out.resolve("ipxe.efi"),
                        out.resolve("script.ipxe"),
                        out.resolve("proxydhcp.ipxe"),
                        out.resolve("ipxe.img"));
        assertThat(sha256(out.resolve("ipxe.efi"))).isEqualTo(sha256(source.ipxe(IpxeTarget.X86_64_EFI)));
        assertThat(Files.readString(out.resolve("script.ipxe"))).isEqualTo(SCRIPT.text() + "\n");
        assertThat(Files.readString(out.resolve("proxydhcp.ipxe")))
                .isEqualTo(SCRIPT.forConfiguredNetwork().text() + "\n")
                .contains("isset ${ip} || dhcp");

        Path image = out.resolve("ipxe.img");
        assertThat(run("mdir", "-b", "-i", image.toString(), "::/EFI/BOOT")).contains("BOOTX64.EFI");
        assertThat(run("mtype", "-i", image.toString(), "::/autoexec.ipxe")).isEqualTo(SCRIPT.text() + "\n");
        Path efi = extractFromFat(image, "EFI/BOOT/BOOTX64.EFI", out.resolve("extracted.efi"));
        assertThat(sha256(efi)).isEqualTo(sha256(source.ipxe(IpxeTarget.X86_64_EFI)));
        assertThat(run("file", "-b", efi.toString())).contains("PE32+", "EFI application", "x86-64");
    }

    @Test
    void arm64ImageBootsFromTheArm64RemovableMediaPath() {
        build.build(IpxeTarget.ARM64_EFI, SCRIPT, out);

        Path image = out.resolve("ipxe.img");
        assertThat(run("mdir", "-b", "-i", image.toString(), "::/EFI/BOOT"))
                .contains("BOOTAA64.EFI")
                .doesNotContain("BOOTX64.EFI");
        Path efi = extractFromFat(image, "EFI/BOOT/BOOTAA64.EFI", out.resolve("extracted.efi"));
        assertThat(run("file", "-b", efi.toString())).contains("EFI application", "Aarch64");
    }

    @Test
    void biosTargetsGetTheBinaryUnderTheOriginalsNameAndTheScriptButNoImage() {
        List<Path> lkrn = build.build(IpxeTarget.LKRN, SCRIPT, out.resolve("lkrn"));
        List<Path> kpxe = build.build(IpxeTarget.X86_64_PCBIOS_KPXE, SCRIPT, out.resolve("kpxe"));

        assertThat(lkrn).containsExactly(out.resolve("lkrn/ipxe.lkrn"), out.resolve("lkrn/script.ipxe"));
        assertThat(kpxe)
                .containsExactly(
                        out.resolve("kpxe/ipxe.kpxe"),
                        out.resolve("kpxe/script.ipxe"),
                        out.resolve("kpxe/proxydhcp.ipxe"));
        assertThat(sha256(out.resolve("lkrn/ipxe.lkrn"))).isEqualTo(sha256(source.ipxe(IpxeTarget.LKRN)));
        assertThat(sha256(out.resolve("kpxe/ipxe.kpxe"))).isEqualTo(sha256(source.ipxe(IpxeTarget.X86_64_PCBIOS_KPXE)));
        assertThat(out.resolve("lkrn/ipxe.img")).doesNotExist();
    }

    @Test
    void theSystemsIpxeIsNewEnoughForEveryTarget() {
        for (IpxeTarget target : IpxeTarget.values()) {
            assertThat(source.ipxe(target)).as(target.describe()).isRegularFile();
        }
    }
}
