package io.clusterplatform.provisioner.server.bootloaders;

import static io.clusterplatform.provisioner.server.bootloaders.TestBootloaders.containsBytes;
import static io.clusterplatform.provisioner.server.bootloaders.TestBootloaders.extractFromFat;
import static io.clusterplatform.provisioner.server.bootloaders.TestBootloaders.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.bootloaders.GrubTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrubBuildTest {
    private static final String LABEL = "Cluster Platform Provisioner ISO";

    private final GrubBuild build = new GrubBuild(TestBootloaders.systemSource(), TestBootloaders.tools());

    @TempDir
    Path out;

    @Test
    void imgFragmentIsAFatImageWithA64BitEfiGrubThatSearchesForTheLabel() {
        GrubTarget target = GrubTarget.of(LABEL, "x86_64-efi", "x64", "efi", "img");

        Path image = build.build(target, out);

        assertThat(image).isEqualTo(out.resolve("grub.img"));
        assertThat(run("mdir", "-b", "-i", image.toString(), "::/EFI/BOOT")).contains("BOOTX64.EFI");
        Path efi = extractFromFat(image, "EFI/BOOT/BOOTX64.EFI", out.resolve("grubx64.efi"));
        assertThat(run("file", "-b", efi.toString())).contains("PE32+", "EFI application", "x86-64");
        assertThat(containsBytes(efi, target.embeddedConfig().getBytes(StandardCharsets.US_ASCII)))
                .as("the embedded config with the label is in the image")
                .isTrue();
        assertThat(out).isDirectoryNotContaining("glob:**/.grub-*");
    }

    @Test
    void efiFragmentIsAZipOfEfiBootWithA32BitGrubForX86() {
        GrubTarget target = GrubTarget.of(LABEL, "x86_64-efi", "x86", "efi", "efi");

        Path zip = build.build(target, out);

        assertThat(zip).isEqualTo(out.resolve("grub.zip"));
        assertThat(run("unzip", "-l", zip.toString())).contains("EFI/BOOT/BOOTIA32.EFI");
        run("unzip", "-q", zip.toString(), "-d", out.resolve("unzipped").toString());
        Path efi = out.resolve("unzipped/EFI/BOOT/BOOTIA32.EFI");
        assertThat(run("file", "-b", efi.toString())).contains("PE32 ", "EFI application", "80386");
        assertThat(run("strings", efi.toString())).contains("--label \"" + LABEL + "\"");
    }

    @Test
    void differentLabelsGiveImagesThatSearchForThem() {
        Path zip = build.build(GrubTarget.of("OTHER_ISO-2.0", "x86_64-efi", "x64", "efi", "efi"), out);

        run("unzip", "-q", zip.toString(), "-d", out.resolve("unzipped").toString());
        Path efi = out.resolve("unzipped/EFI/BOOT/BOOTX64.EFI");
        assertThat(run("strings", efi.toString()))
                .contains("--label \"OTHER_ISO-2.0\"")
                .doesNotContain(LABEL);
    }
}
