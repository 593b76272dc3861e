package io.clusterplatform.provisioner.core.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;

class SyslinuxFragmentTest {

    @Test
    void knowsTheOriginalsThreeFragments() {
        assertThat(SyslinuxFragment.of("ldlinux.c32")).isEqualTo(SyslinuxFragment.LDLINUX_C32);
        assertThat(SyslinuxFragment.of("isolinux.bin")).isEqualTo(SyslinuxFragment.ISOLINUX_BIN);
        assertThat(SyslinuxFragment.of("isohdpfx.bin")).isEqualTo(SyslinuxFragment.ISOHDPFX_BIN);
    }

    @Test
    void anUnknownFragmentIsNotFoundAndTheKnownOnesAreNamed() {
        assertThatThrownBy(() -> SyslinuxFragment.of("menu.c32"))
                .isInstanceOfSatisfying(
                        ProblemException.class, p -> assertThat(p.status()).isEqualTo(404))
                .hasMessageContaining("\"menu.c32\"")
                .hasMessageContaining("ldlinux.c32, isolinux.bin, isohdpfx.bin");
    }
}
