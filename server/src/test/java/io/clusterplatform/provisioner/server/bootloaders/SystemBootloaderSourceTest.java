package io.clusterplatform.provisioner.server.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.bootloaders.GrubTarget;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemBootloaderSourceTest {
    @TempDir
    Path empty;

    @Test
    void anIpxeDirectoryWithoutTheBinarySaysHowToFetchIt() throws Exception {
        // An old (Debian 12) iPXE has ipxe.efi but no ipxe-amd64.efi.
        Files.writeString(empty.resolve("ipxe.efi"), "old");
        SystemBootloaderSource source = new SystemBootloaderSource(empty, empty, empty, empty);

        assertThatThrownBy(() -> source.ipxe(IpxeTarget.X86_64_EFI))
                .isInstanceOfSatisfying(
                        ProblemException.class, p -> assertThat(p.status()).isEqualTo(500))
                .hasMessageContaining("iPXE 1.21 or newer not found in " + empty)
                .hasMessageContaining("run scripts/start-server.sh, which fetches it")
                .hasMessageContaining("PROVISIONER_IPXE_DIR");
    }

    @Test
    void missingGrubModulesAndSyslinuxFilesNameTheirDebianPackages() {
        SystemBootloaderSource source = new SystemBootloaderSource(empty, empty, empty, empty);

        assertThatThrownBy(() -> source.grubModules(GrubTarget.Architecture.X86))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("i386-efi")
                .hasMessageContaining("install grub-efi-ia32-bin");
        assertThatThrownBy(() -> source.grubModules(GrubTarget.Architecture.X64))
                .hasMessageContaining("install grub-efi-amd64-bin");
        assertThatThrownBy(() -> source.syslinux(SyslinuxFragment.ISOLINUX_BIN))
                .hasMessageContaining("install isolinux");
        assertThatThrownBy(() -> source.syslinux(SyslinuxFragment.LDLINUX_C32))
                .hasMessageContaining("install syslinux-common");
    }

    @Test
    void aConfiguredIpxeDirectoryWins() {
        assertThat(SystemBootloaderSource.ipxeDirFor("/opt/ipxe")).isEqualTo(Path.of("/opt/ipxe"));
        assertThat(SystemBootloaderSource.ipxeDirFor(" ")).isNotEqualTo(Path.of(" "));
    }

    @Test
    void findsTheSystemsGrubModules() {
        SystemBootloaderSource source = TestBootloaders.systemSource();

        assertThat(source.grubModules(GrubTarget.Architecture.X64)).isEqualTo(Path.of("/usr/lib/grub/x86_64-efi"));
        assertThat(source.grubModules(GrubTarget.Architecture.X86)).isEqualTo(Path.of("/usr/lib/grub/i386-efi"));
    }
}
