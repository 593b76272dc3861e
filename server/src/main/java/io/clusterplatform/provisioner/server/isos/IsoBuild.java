package io.clusterplatform.provisioner.server.isos;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.tools.ExternalTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Lays out an {@link IsoLayout} in a directory tree and makes a hybrid image with {@code xorriso}: El
 * Torito BIOS (ISOLINUX) and EFI boot for CDs, an isohybrid MBR and GPT for USB sticks. Verified under
 * qemu on BIOS and OVMF hosts from CD and from a USB disk (see IsoBootTest).
 */
public class IsoBuild {
    static final String EFI_IMAGE = "EFI/efiboot.img";
    private static final long MIN_FAT_KB = 2880;

    private final ExternalTools tools;

    public IsoBuild(ExternalTools tools) {
        this.tools = tools;
    }

    /**
     * Builds {@code output} from the layout, using {@code work} as scratch space.
     *
     * @param progress called with a percentage (0-100 of this step) and a message at each milestone
     */
    public void build(IsoLayout layout, Path work, Path output, BiConsumer<Integer, String> progress)
            throws IOException {
        requireLabel(layout.label());
        Path tree = work.resolve("tree");
        Files.createDirectories(tree.resolve("isolinux"));
        Files.createDirectories(tree.resolve("ipxe"));
        Files.createDirectories(tree.resolve("boot/grub"));
        Files.createDirectories(tree.resolve("EFI/BOOT"));

        progress.accept(10, "laying out the BIOS boot files");
        copy(layout.isolinuxBin(), tree.resolve("isolinux/isolinux.bin"));
        copy(layout.ldlinuxC32(), tree.resolve("isolinux/ldlinux.c32"));
        copy(layout.ipxeLkrn(), tree.resolve("ipxe/ipxe.lkrn"));
        copy(layout.ipxeEfi(), tree.resolve("ipxe/ipxe.efi"));
        if (layout.script() != null) {
            copy(layout.script(), tree.resolve("ipxe/script.ipxe"));
        }
        Files.writeString(tree.resolve("isolinux/isolinux.cfg"), isolinuxConfig(layout), StandardCharsets.US_ASCII);
        Files.writeString(tree.resolve("boot/grub/grub.cfg"), grubConfig(layout.label()), StandardCharsets.UTF_8);
        if (layout.grubX64Efi() != null) {
            copy(layout.grubX64Efi(), tree.resolve("EFI/BOOT/grubx64.efi"));
        }

        progress.accept(30, "making the EFI boot image");
        makeEfiImage(layout, work, tree.resolve(EFI_IMAGE));

        progress.accept(50, "running xorriso");
        Files.deleteIfExists(output);
        tools.run(xorriso(layout.label(), layout.isohdpfxBin(), tree, output), "xorriso");
        progress.accept(100, "image written");
    }

    static void requireLabel(String label) {
        if (label == null || label.isBlank()) {
            throw ProblemException.invalid("'label' is required: the ISO's volume name, e.g. \"CPP ISO\"");
        }
        if (label.length() > 32 || !label.matches("[A-Za-z0-9 _.-]+")) {
            throw ProblemException.invalid("'label' must be 1 to 32 letters, digits, spaces and . _ -"
                    + " (an ISO9660 volume id), got '" + label + "'");
        }
    }

    static String isolinuxConfig(IsoLayout layout) {
        StringBuilder cfg = new StringBuilder("DEFAULT ipxe\nPROMPT 0\nTIMEOUT 0\nLABEL ipxe\n  KERNEL /ipxe/ipxe.lkrn\n");
        if (layout.script() != null) {
            // iPXE runs an initrd that is a script: this is how the prebuilt lkrn gets our script.
            cfg.append("  INITRD /ipxe/script.ipxe\n");
        }
        return cfg.toString();
    }

    static String grubConfig(String label) {
        return "# GRUB finds this ISO by its label (" + label + ") and reads this file.\n"
                + "if [ \"${grub_cpu}\" = \"i386\" ]; then\n"
                + "  echo \"This host has 32-bit UEFI, for which iPXE has no build: boot it in BIOS (legacy) mode.\"\n"
                + "  sleep 30\n"
                + "fi\n"
                + "menuentry \"iPXE\" {\n"
                + "  chainloader /ipxe/ipxe.efi\n"
                + "}\n";
    }

    private void makeEfiImage(IsoLayout layout, Path work, Path image) throws IOException {
        Path staging = work.resolve("efi");
        Files.createDirectories(staging.resolve("EFI/BOOT"));
        copy(layout.ipxeEfi(), staging.resolve("EFI/BOOT/BOOTX64.EFI"));
        if (layout.script() != null) {
            copy(layout.script(), staging.resolve("autoexec.ipxe"));
        }
        if (layout.grubX86Efi() != null) {
            copy(layout.grubX86Efi(), staging.resolve("EFI/BOOT/BOOTIA32.EFI"));
        }
        if (layout.grubImg() != null) {
            // Start from the GRUB image: keep what it holds, but iPXE is the default x64 loader.
            copy(layout.grubImg(), image);
            tools.runAllowingFailure(List.of("mren", "-i", image.toString(), "::/EFI/BOOT/BOOTX64.EFI",
                    "::/EFI/BOOT/grubx64.efi"));
            long needed = sizeKb(staging) + 256;
            long free = freeKb(image);
            if (free < needed) {
                throw ProblemException.invalid("the GRUB image has " + free + " KiB free but iPXE and the script need "
                        + needed + " KiB: build it anew with /grubs, or leave grubImgUrl out");
            }
        } else {
            long kb = Math.max(MIN_FAT_KB, sizeKb(staging) + 1024);
            tools.run(List.of("mkfs.vfat", "-C", "-n", "EFIBOOT", image.toString(), Long.toString(kb)), "dosfstools");
        }
        List<String> mcopy = new ArrayList<>(List.of("mcopy", "-o", "-s", "-i", image.toString()));
        try (var entries = Files.list(staging)) {
            entries.forEach(entry -> mcopy.add(entry.toString()));
        }
        mcopy.add("::/");
        tools.run(mcopy, "mtools");
    }

    /** Free space of a FAT image, from the last line of {@code mdir} ("N bytes free"). */
    private long freeKb(Path image) throws IOException {
        String listing = tools.run(List.of("mdir", "-i", image.toString(), "::/"), "mtools");
        for (String line : listing.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.endsWith("bytes free")) {
                return Long.parseLong(trimmed.replace("bytes free", "").replaceAll("[\\s,]", "")) / 1024;
            }
        }
        return 0;
    }

    private static List<String> xorriso(String label, Path isohdpfx, Path tree, Path output) {
        return List.of(
                "xorriso", "-as", "mkisofs",
                "-o", output.toString(),
                "-V", label,
                "-J", "-R",
                "-isohybrid-mbr", isohdpfx.toString(),
                "-c", "isolinux/boot.cat",
                "-b", "isolinux/isolinux.bin", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
                "-eltorito-alt-boot",
                "-e", EFI_IMAGE, "-no-emul-boot",
                "-isohybrid-gpt-basdat",
                tree.toString());
    }

    private static long sizeKb(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
            return (bytes + 1023) / 1024;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
