package io.clusterplatform.provisioner.server.isos;

import io.clusterplatform.provisioner.server.bootloaders.FatImages;
import io.clusterplatform.provisioner.server.bootloaders.ToolRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Lays out an {@link IsoLayout} in a directory tree and makes a hybrid image with {@code xorriso}: El
 * Torito BIOS (ISOLINUX) and EFI boot for CDs, an isohybrid MBR and GPT for USB sticks. Booted under
 * qemu on BIOS and OVMF hosts from CD and from a USB disk by the tests.
 */
public class IsoBuild {
    static final String EFI_IMAGE = "EFI/efiboot.img";

    private final ToolRunner tools;

    public IsoBuild(ToolRunner tools) {
        this.tools = tools;
    }

    /**
     * Builds {@code output} from the layout, using {@code work} as scratch space.
     *
     * @param progress called with a percentage (0-100 of this step) and a message at each milestone
     */
    public void build(IsoLayout layout, Path work, Path output, BiConsumer<Integer, String> progress)
            throws IOException {
        Path tree = work.resolve("tree");
        Files.createDirectories(tree.resolve("isolinux"));
        Files.createDirectories(tree.resolve("ipxe"));
        Files.createDirectories(tree.resolve("boot/grub"));
        Files.createDirectories(tree.resolve("EFI/BOOT"));

        progress.accept(10, "laying out the boot files");
        copy(layout.isolinuxBin(), tree.resolve("isolinux/isolinux.bin"));
        copy(layout.ldlinuxC32(), tree.resolve("isolinux/ldlinux.c32"));
        copy(layout.ipxeLkrn(), tree.resolve("ipxe/ipxe.lkrn"));
        copy(layout.ipxeEfi(), tree.resolve("ipxe/ipxe.efi"));
        if (layout.script() != null) {
            copy(layout.script(), tree.resolve("ipxe/script.ipxe"));
        }
        Files.writeString(tree.resolve("isolinux/isolinux.cfg"), isolinuxConfig(layout), StandardCharsets.US_ASCII);
        Files.writeString(tree.resolve("boot/grub/grub.cfg"), grubConfig(layout.label()), StandardCharsets.UTF_8);
        Path grubX64 = grubX64(layout, work);
        if (grubX64 != null) {
            copy(grubX64, tree.resolve("EFI/BOOT/grubx64.efi"));
        }

        progress.accept(30, "making the EFI boot image");
        Map<String, Path> efiFiles = new LinkedHashMap<>();
        efiFiles.put("EFI/BOOT/BOOTX64.EFI", layout.ipxeEfi());
        if (grubX64 != null) {
            efiFiles.put("EFI/BOOT/grubx64.efi", grubX64);
        }
        if (layout.grubX86Efi() != null) {
            efiFiles.put("EFI/BOOT/BOOTIA32.EFI", layout.grubX86Efi());
        }
        if (layout.script() != null) {
            efiFiles.put("autoexec.ipxe", layout.script());
        }
        FatImages.write(tools, tree.resolve(EFI_IMAGE), efiFiles);

        progress.accept(50, "writing the image with xorriso");
        Files.deleteIfExists(output);
        tools.run(ToolRunner.Tool.XORRISO, xorriso(layout.label(), layout.isohdpfxBin(), tree, output), work);
        progress.accept(100, "image written");
    }

    static String isolinuxConfig(IsoLayout layout) {
        StringBuilder cfg =
                new StringBuilder("DEFAULT ipxe\nPROMPT 0\nTIMEOUT 0\nLABEL ipxe\n  KERNEL /ipxe/ipxe.lkrn\n");
        if (layout.script() != null) {
            // iPXE runs an initrd that is a script: this is how the prebuilt lkrn gets our script.
            cfg.append("  INITRD /ipxe/script.ipxe\n");
        }
        return cfg.toString();
    }

    static String grubConfig(String label) {
        return "# GRUB images from /grubs find this ISO by its label (" + label + ") and read this file.\n"
                + "set default=0\n"
                + "set timeout=3\n"
                + "if [ \"${grub_cpu}\" = \"i386\" ]; then\n"
                + "  echo \"This host has 32-bit UEFI, for which iPXE has no build: boot it in BIOS (legacy) mode.\"\n"
                + "  sleep 30\n"
                + "fi\n"
                + "menuentry \"iPXE\" {\n"
                + "  chainloader /ipxe/ipxe.efi\n"
                + "}\n";
    }

    /** GRUB's x64 binary: given directly, or taken out of a {@code /grubs} FAT image. */
    private Path grubX64(IsoLayout layout, Path work) {
        if (layout.grubX64Efi() != null) {
            return layout.grubX64Efi();
        }
        if (layout.grubImg() == null) {
            return null;
        }
        Path extracted = work.resolve("grub-from-img.efi");
        tools.run(
                ToolRunner.Tool.MCOPY,
                List.of(
                        "-n",
                        "-i",
                        layout.grubImg().toAbsolutePath().toString(),
                        "::/EFI/BOOT/BOOTX64.EFI",
                        extracted.toAbsolutePath().toString()),
                work);
        return extracted;
    }

    private static List<String> xorriso(String label, Path isohdpfx, Path tree, Path output) {
        return List.of(
                "-as",
                "mkisofs",
                "-o",
                output.toAbsolutePath().toString(),
                "-V",
                label,
                "-J",
                "-R",
                "-isohybrid-mbr",
                isohdpfx.toAbsolutePath().toString(),
                "-c",
                "isolinux/boot.cat",
                "-b",
                "isolinux/isolinux.bin",
                "-no-emul-boot",
                "-boot-load-size",
                "4",
                "-boot-info-table",
                "-eltorito-alt-boot",
                "-e",
                EFI_IMAGE,
                "-no-emul-boot",
                "-isohybrid-gpt-basdat",
                tree.toAbsolutePath().toString());
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
