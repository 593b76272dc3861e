package io.clusterplatform.provisioner.server.grubs;

/**
 * A request of {@code POST /api/grubs}, as in the original API.
 *
 * @param label the ISO's volume label the GRUB image searches for
 * @param platform {@code x86_64-efi}
 * @param architecture {@code x64} (64-bit UEFI) or {@code x86} (32-bit UEFI, {@code bootia32.efi})
 * @param extension {@code efi}
 * @param fragment {@code img} (a FAT image holding {@code EFI/BOOT/}) or {@code efi} (a zip of it)
 */
public record GrubSpec(String label, String platform, String architecture, String extension, String fragment) {}
