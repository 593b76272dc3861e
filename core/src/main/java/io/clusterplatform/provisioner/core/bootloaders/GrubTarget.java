package io.clusterplatform.provisioner.core.bootloaders;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A GRUB EFI image for an ISO: its embedded config finds the medium by its volume label and loads
 * the {@code /boot/grub/grub.cfg} on it. The request fields are the original API's {@code {label, platform,
 * architecture, extension, fragment}}; {@code platform} is always {@code x86_64-efi} and {@code
 * extension} always {@code efi} (as in the original API), {@code architecture x86} means 32-bit UEFI.
 */
public record GrubTarget(IsoVolumeLabel label, Architecture architecture, Fragment fragment) {
    public static final String PLATFORM = "x86_64-efi";
    public static final String EXTENSION = "efi";

    /**
     * The GRUB modules built into the image: partition tables (GPT, MBR), file systems (ISO9660,
     * FAT), finding the medium, reading its config and booting what it names.
     */
    public static final List<String> MODULES = List.of(
            "part_gpt",
            "part_msdos",
            "iso9660",
            "fat",
            "search",
            "search_label",
            "search_fs_uuid",
            "search_fs_file",
            "configfile",
            "normal",
            "echo",
            "test",
            "ls",
            "chain",
            "linux",
            "all_video");

    public GrubTarget {
        if (label == null || architecture == null || fragment == null) {
            throw ProblemException.invalid("a GRUB build needs a label, an architecture and a fragment");
        }
    }

    /** The target for a request's fields; 400 problems that name the allowed values otherwise. */
    public static GrubTarget of(String label, String platform, String architecture, String extension, String fragment) {
        if (!PLATFORM.equals(platform)) {
            throw ProblemException.invalid("unsupported GRUB platform " + quoted(platform) + ": supported is \""
                    + PLATFORM + "\" (choose 64- or 32-bit UEFI with architecture)");
        }
        if (!EXTENSION.equals(extension)) {
            throw ProblemException.invalid(
                    "unsupported GRUB extension " + quoted(extension) + ": supported is \"" + EXTENSION + "\"");
        }
        return new GrubTarget(new IsoVolumeLabel(label), Architecture.of(architecture), Fragment.of(fragment));
    }

    /**
     * The config built into the image. It runs before any module prefix is known: it finds the
     * medium labelled {@link #label()}, makes it GRUB's root and prefix and loads its grub.cfg.
     */
    public String embeddedConfig() {
        return "search --no-floppy --set=root --label " + label.grubQuoted() + "\n"
                + "set prefix=($root)/boot/grub\n"
                + "configfile ($root)/boot/grub/grub.cfg\n";
    }

    /** The file the build writes: {@code grub.img} or {@code grub.zip}. */
    public String artifactFileName() {
        return fragment.artifactFileName();
    }

    /** 64-bit ({@code x64}) or 32-bit ({@code x86}) UEFI. */
    public enum Architecture {
        X64("x64", "x86_64-efi", "BOOTX64.EFI"),
        X86("x86", "i386-efi", "BOOTIA32.EFI");

        private final String wireName;
        private final String grubFormat;
        private final String efiBootFileName;

        Architecture(String wireName, String grubFormat, String efiBootFileName) {
            this.wireName = wireName;
            this.grubFormat = grubFormat;
            this.efiBootFileName = efiBootFileName;
        }

        public static Architecture of(String wireName) {
            for (Architecture a : values()) {
                if (a.wireName.equals(wireName)) {
                    return a;
                }
            }
            throw ProblemException.invalid("unsupported GRUB architecture " + quoted(wireName) + ": supported are "
                    + Arrays.stream(values()).map(a -> a.wireName).collect(Collectors.joining(", "))
                    + " (x86 is 32-bit UEFI)");
        }

        public String wireName() {
            return wireName;
        }

        /** The {@code grub-mkimage -O} format, also the module directory name under /usr/lib/grub. */
        public String grubFormat() {
            return grubFormat;
        }

        /** The removable-media boot file name under {@code EFI/BOOT/}. */
        public String efiBootFileName() {
            return efiBootFileName;
        }
    }

    /** {@code img}: a FAT image holding {@code EFI/BOOT/}; {@code efi}: a zip of that tree. */
    public enum Fragment {
        IMG("img", "grub.img"),
        EFI("efi", "grub.zip");

        private final String wireName;
        private final String artifactFileName;

        Fragment(String wireName, String artifactFileName) {
            this.wireName = wireName;
            this.artifactFileName = artifactFileName;
        }

        public static Fragment of(String wireName) {
            for (Fragment f : values()) {
                if (f.wireName.equals(wireName)) {
                    return f;
                }
            }
            throw ProblemException.invalid("unsupported GRUB fragment " + quoted(wireName) + ": supported are "
                    + Arrays.stream(values()).map(f -> f.wireName).collect(Collectors.joining(", ")));
        }

        public String wireName() {
            return wireName;
        }

        public String artifactFileName() {
            return artifactFileName;
        }
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
