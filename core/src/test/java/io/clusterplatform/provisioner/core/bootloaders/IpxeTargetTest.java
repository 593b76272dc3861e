package io.clusterplatform.provisioner.core.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpxeTargetTest {

    @ParameterizedTest
    @CsvSource({
        "bin-x86_64-efi, ipxe, efi, ipxe-amd64.efi, ipxe.efi",
        "bin-x86_64-pcbios, ipxe, kpxe, undionly.kpxe, ipxe.kpxe",
        "bin, ipxe, lkrn, ipxe.lkrn, ipxe.lkrn",
        "bin-arm64-efi, ipxe, efi, ipxe-arm64.efi, ipxe.efi"
    })
    void mapsTheOriginalsCombinationsToPrebuiltBinaries(
            String platform, String driver, String extension, String binary, String artifact) {
        IpxeTarget target = IpxeTarget.of(platform, driver, extension);

        assertThat(target.binaryName()).isEqualTo(binary);
        assertThat(target.artifactFileName()).isEqualTo(artifact);
    }

    @Test
    void efiTargetsBootFromTheRemovableMediaPathOfTheirArchitecture() {
        assertThat(IpxeTarget.X86_64_EFI.efiBootFileName()).contains("BOOTX64.EFI");
        assertThat(IpxeTarget.ARM64_EFI.efiBootFileName()).contains("BOOTAA64.EFI");
        assertThat(IpxeTarget.LKRN.efi()).isFalse();
        assertThat(IpxeTarget.X86_64_PCBIOS_KPXE.efiBootFileName()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"bin-x86_64-efi, ipxe, kpxe", "bin, undionly, lkrn", "bin-i386-efi, ipxe, efi", "bin, ipxe, usb"})
    void refusesOtherCombinationsNamingTheSupportedOnes(String platform, String driver, String extension) {
        assertThatThrownBy(() -> IpxeTarget.of(platform, driver, extension))
                .isInstanceOfSatisfying(
                        ProblemException.class, p -> assertThat(p.status()).isEqualTo(400))
                .hasMessageContaining(platform + "\"")
                .hasMessageContaining("bin-x86_64-efi/ipxe/efi")
                .hasMessageContaining("bin-x86_64-pcbios/ipxe/kpxe")
                .hasMessageContaining("bin/ipxe/lkrn")
                .hasMessageContaining("bin-arm64-efi/ipxe/efi");
    }

    @Test
    void refusesMissingFields() {
        assertThatThrownBy(() -> IpxeTarget.of(null, "ipxe", "efi"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("platform: null");
    }

    @Test
    void acceptsOnlyScriptsWithTheIpxeMagic() {
        assertThat(new IpxeScript("#!ipxe\ndhcp").fileContent()).isEqualTo("#!ipxe\ndhcp\n");
        assertThatThrownBy(() -> new IpxeScript("dhcp\nchain http://x/"))
                .isInstanceOfSatisfying(
                        ProblemException.class, p -> assertThat(p.status()).isEqualTo(400))
                .hasMessageContaining("#!ipxe");
        assertThatThrownBy(() -> new IpxeScript(" #!ipxe\n")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> new IpxeScript(null)).isInstanceOf(ProblemException.class);
    }
}
