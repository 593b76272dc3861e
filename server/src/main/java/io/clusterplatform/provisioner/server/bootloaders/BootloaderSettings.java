package io.clusterplatform.provisioner.server.bootloaders;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the bootloader binaries are, under {@code provisioner.bootloaders.*}.
 *
 * @param ipxeDir the directory of an iPXE 1.21+ distribution ({@code ipxe-amd64.efi}, {@code
 *     ipxe.lkrn}, ...); the setup scripts fill one and export it as {@code PROVISIONER_IPXE_DIR}.
 *     Empty: the system's {@code /usr/lib/ipxe} when it is 1.21+, else the directory the setup
 *     scripts use by default
 * @param grubDir the parent of GRUB's module directories ({@code x86_64-efi}, {@code i386-efi})
 * @param isolinuxDir where {@code isolinux.bin} and {@code isohdpfx.bin} are (package isolinux)
 * @param syslinuxModulesDir where the BIOS {@code ldlinux.c32} is (package syslinux-common)
 * @param toolTimeout how long one external tool (grub-mkimage, mkfs.vfat, mcopy) may run
 */
@ConfigurationProperties("provisioner.bootloaders")
public record BootloaderSettings(
        @DefaultValue("") String ipxeDir,
        @DefaultValue("/usr/lib/grub") String grubDir,
        @DefaultValue("/usr/lib/ISOLINUX") String isolinuxDir,
        @DefaultValue("/usr/lib/syslinux/modules/bios") String syslinuxModulesDir,
        @DefaultValue("2m") Duration toolTimeout) {

    public BootloaderSettings {
        if (toolTimeout == null || toolTimeout.isNegative() || toolTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "provisioner.bootloaders.tool-timeout must be positive, got " + toolTimeout);
        }
    }

    /** The defaults: Debian's paths, the iPXE directory found as described above. */
    public static BootloaderSettings defaults() {
        return new BootloaderSettings(
                "", "/usr/lib/grub", "/usr/lib/ISOLINUX", "/usr/lib/syslinux/modules/bios", Duration.ofMinutes(2));
    }
}
