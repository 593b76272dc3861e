package io.clusterplatform.provisioner.server.isos;

import java.nio.file.Path;

/**
 * What goes into a hybrid ISO. BIOS hosts (CD or USB) boot ISOLINUX, which loads {@code ipxe.lkrn} with
 * the script as its initrd; UEFI hosts (CD or USB) boot the El Torito EFI image, a FAT image whose
 * {@code EFI/BOOT/BOOTX64.EFI} is iPXE and whose {@code /autoexec.ipxe} is the script. GRUB, when
 * given, rides along: its x64 image as {@code EFI/BOOT/grubx64.efi} with a menu that chains iPXE, and
 * its 32-bit image as {@code EFI/BOOT/BOOTIA32.EFI} (iPXE has no 32-bit UEFI build, so GRUB explains).
 *
 * @param label the ISO9660 volume id (GRUB images find the ISO by it), at most 32 characters
 * @param script the iPXE script both firmware paths run; null means iPXE's own default (DHCP boot)
 * <p>The GRUB parts may be null.
 *
 * @param grubImg a FAT image from {@code /grubs} (fragment img) to start the EFI image from
 * @param grubX64Efi GRUB's x64 EFI binary
 * @param grubX86Efi GRUB's 32-bit EFI binary
 */
public record IsoLayout(
        String label,
        Path ipxeLkrn,
        Path ipxeEfi,
        Path script,
        Path isolinuxBin,
        Path ldlinuxC32,
        Path isohdpfxBin,
        Path grubImg,
        Path grubX64Efi,
        Path grubX86Efi) {}
