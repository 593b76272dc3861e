package io.clusterplatform.provisioner.server.bootloaders;

import io.clusterplatform.provisioner.core.bootloaders.GrubTarget;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bootloaders from this machine: iPXE 1.21+ from the configured directory (or the system's {@code
 * /usr/lib/ipxe} when it is 1.21+, recognised by its {@code ipxe-amd64.efi}, which older packages
 * lack), SYSLINUX and GRUB from Debian's standard paths.
 */
public final class SystemBootloaderSource implements BootloaderSource {
    /** Where Debian 13 and Ubuntu 24.04 install iPXE. */
    public static final Path SYSTEM_IPXE_DIR = Path.of("/usr/lib/ipxe");

    private final Path ipxeDir;
    private final Path grubDir;
    private final Path isolinuxDir;
    private final Path syslinuxModulesDir;

    public SystemBootloaderSource(Path ipxeDir, Path grubDir, Path isolinuxDir, Path syslinuxModulesDir) {
        this.ipxeDir = ipxeDir;
        this.grubDir = grubDir;
        this.isolinuxDir = isolinuxDir;
        this.syslinuxModulesDir = syslinuxModulesDir;
    }

    public static SystemBootloaderSource from(BootloaderSettings settings) {
        return new SystemBootloaderSource(
                ipxeDirFor(settings.ipxeDir()),
                Path.of(settings.grubDir()),
                Path.of(settings.isolinuxDir()),
                Path.of(settings.syslinuxModulesDir()));
    }

    /**
     * The iPXE directory: the configured one; else the system's when it is 1.21+; else the one
     * {@code scripts/lib/setup.sh} fills by default for this user.
     */
    static Path ipxeDirFor(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (Files.isRegularFile(SYSTEM_IPXE_DIR.resolve(IpxeTarget.X86_64_EFI.binaryName()))) {
            return SYSTEM_IPXE_DIR;
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/provisioner/bootloaders/ipxe");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "provisioner", "bootloaders", "ipxe");
    }

    public Path ipxeDir() {
        return ipxeDir;
    }

    @Override
    public Path ipxe(IpxeTarget target) {
        Path binary = ipxeDir.resolve(target.binaryName());
        if (!Files.isRegularFile(binary) || !Files.isReadable(binary)) {
            throw missing("iPXE 1.21 or newer not found in " + ipxeDir + " (no " + target.binaryName()
                    + "): run scripts/start-server.sh, which fetches it, or point provisioner.bootloaders.ipxe-dir"
                    + " (PROVISIONER_IPXE_DIR) at an iPXE 1.21+ distribution");
        }
        return binary;
    }

    @Override
    public Path syslinux(SyslinuxFragment fragment) {
        return switch (fragment) {
            case LDLINUX_C32 -> requireFile(syslinuxModulesDir.resolve(fragment.fileName()), "syslinux-common");
            case ISOLINUX_BIN, ISOHDPFX_BIN -> requireFile(isolinuxDir.resolve(fragment.fileName()), "isolinux");
        };
    }

    @Override
    public Path grubModules(GrubTarget.Architecture architecture) {
        Path dir = grubDir.resolve(architecture.grubFormat());
        if (!Files.isRegularFile(dir.resolve("kernel.img"))) {
            throw missing("GRUB modules for " + architecture.grubFormat() + " not found in " + dir + ": install "
                    + grubPackage(architecture));
        }
        return dir;
    }

    /** The Debian package holding GRUB's modules for the architecture. */
    static String grubPackage(GrubTarget.Architecture architecture) {
        return switch (architecture) {
            case X64 -> "grub-efi-amd64-bin";
            case X86 -> "grub-efi-ia32-bin";
        };
    }

    private static Path requireFile(Path file, String debianPackage) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw missing(file.getFileName() + " not found at " + file + ": install " + debianPackage);
        }
        return file;
    }

    static ProblemException missing(String detail) {
        return new ProblemException(500, "Bootloader not installed", detail);
    }
}
