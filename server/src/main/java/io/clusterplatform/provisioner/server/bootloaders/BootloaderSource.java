package io.clusterplatform.provisioner.server.bootloaders;

import io.clusterplatform.provisioner.core.bootloaders.GrubTarget;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import java.nio.file.Path;

/**
 * Where the prebuilt bootloader binaries the artifact builders start from come from. Each method
 * answers an existing, readable file or directory, or throws a {@link
 * io.clusterplatform.provisioner.core.problems.ProblemException} that says how to install what is
 * missing. {@link SystemBootloaderSource} reads the machine's Debian packages (and the iPXE
 * directory the setup scripts fill); another source (a download cache, a test double) can be
 * plugged in.
 */
public interface BootloaderSource {

    /** The iPXE 1.21+ binary for the target, e.g. {@code .../ipxe-amd64.efi}. */
    Path ipxe(IpxeTarget target);

    /** The SYSLINUX file, e.g. {@code /usr/lib/ISOLINUX/isolinux.bin}. */
    Path syslinux(SyslinuxFragment fragment);

    /** The directory of GRUB modules for {@code grub-mkimage -d}, e.g. {@code /usr/lib/grub/x86_64-efi}. */
    Path grubModules(GrubTarget.Architecture architecture);
}
