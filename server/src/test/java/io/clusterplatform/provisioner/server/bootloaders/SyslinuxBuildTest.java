package io.clusterplatform.provisioner.server.bootloaders;

import static io.clusterplatform.provisioner.server.bootloaders.TestBootloaders.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SyslinuxBuildTest {
    private final SystemBootloaderSource source = TestBootloaders.systemSource();
    private final SyslinuxBuild build = new SyslinuxBuild(source);

    @TempDir
    Path out;

    @ParameterizedTest
    @EnumSource(SyslinuxFragment.class)
    void copiesTheSystemsFragmentUnderItsName(SyslinuxFragment fragment) {
        Path copy = build.build(fragment, out);

        assertThat(copy).isEqualTo(out.resolve(fragment.fileName()));
        assertThat(sha256(copy)).isEqualTo(sha256(source.syslinux(fragment)));
    }

    @ParameterizedTest
    @CsvSource({
        "LDLINUX_C32, /usr/lib/syslinux/modules/bios/ldlinux.c32",
        "ISOLINUX_BIN, /usr/lib/ISOLINUX/isolinux.bin",
        "ISOHDPFX_BIN, /usr/lib/ISOLINUX/isohdpfx.bin"
    })
    void findsTheFragmentsAtDebiansPaths(SyslinuxFragment fragment, Path expected) {
        assertThat(source.syslinux(fragment)).isEqualTo(expected);
    }
}
