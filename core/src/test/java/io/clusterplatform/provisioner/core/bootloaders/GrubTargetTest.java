package io.clusterplatform.provisioner.core.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrubTargetTest {
    private static final String ORIGINAL_LABEL = "Cluster Platform Provisioner ISO";

    @Test
    void acceptsTheOriginalsRequests() {
        GrubTarget img = GrubTarget.of(ORIGINAL_LABEL, "x86_64-efi", "x64", "efi", "img");
        GrubTarget x86 = GrubTarget.of(ORIGINAL_LABEL, "x86_64-efi", "x86", "efi", "efi");

        assertThat(img.artifactFileName()).isEqualTo("grub.img");
        assertThat(img.architecture().grubFormat()).isEqualTo("x86_64-efi");
        assertThat(img.architecture().efiBootFileName()).isEqualTo("BOOTX64.EFI");
        assertThat(x86.artifactFileName()).isEqualTo("grub.zip");
        assertThat(x86.architecture().grubFormat()).isEqualTo("i386-efi");
        assertThat(x86.architecture().efiBootFileName()).isEqualTo("BOOTIA32.EFI");
    }

    @Test
    void embeddedConfigFindsTheMediumByLabelAndLoadsItsGrubCfg() {
        String config =
                GrubTarget.of(ORIGINAL_LABEL, "x86_64-efi", "x64", "efi", "img").embeddedConfig();

        assertThat(config)
                .isEqualTo("search --no-floppy --set=root --label \"Cluster Platform Provisioner ISO\"\n"
                        + "set prefix=($root)/boot/grub\n"
                        + "configfile ($root)/boot/grub/grub.cfg\n");
    }

    @Test
    void refusesUnknownPlatformArchitectureExtensionAndFragmentNamingTheAllowedValues() {
        assertThatThrownBy(() -> GrubTarget.of(ORIGINAL_LABEL, "i386-pc", "x64", "efi", "img"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("x86_64-efi");
        assertThatThrownBy(() -> GrubTarget.of(ORIGINAL_LABEL, "x86_64-efi", "arm64", "efi", "img"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("x64, x86");
        assertThatThrownBy(() -> GrubTarget.of(ORIGINAL_LABEL, "x86_64-efi", "x64", "img", "img"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("\"efi\"");
        assertThatThrownBy(() -> GrubTarget.of(ORIGINAL_LABEL, "x86_64-efi", "x64", "efi", "iso"))
                .isInstanceOfSatisfying(
                        ProblemException.class, p -> assertThat(p.status()).isEqualTo(400))
                .hasMessageContaining("img, efi");
    }

    @Test
    void refusesLabelsLongerThanAnIso9660VolumeId() {
        assertThat(new IsoVolumeLabel("A".repeat(32)).value()).hasSize(32);
        assertThatThrownBy(() -> new IsoVolumeLabel("A".repeat(33)))
                .isInstanceOfSatisfying(
                        ProblemException.class, p -> assertThat(p.status()).isEqualTo(400))
                .hasMessageContaining("at most 32");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "a\"b",
                "x$root",
                "back\\slash",
                "new\nline",
                "tab\there",
                " lead",
                "trail ",
                "ümlaut",
                "semi;colon"
            })
    void refusesLabelsAVolumeIdOrAGrubWordCannotHoldAsTheyAre(String label) {
        assertThatThrownBy(() -> new IsoVolumeLabel(label)).isInstanceOf(ProblemException.class);
    }

    @Test
    void quotesTheLabelAsOneGrubWord() {
        assertThat(new IsoVolumeLabel("My ISO_1.0-x").grubQuoted()).isEqualTo("\"My ISO_1.0-x\"");
    }
}
