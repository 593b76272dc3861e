package io.clusterplatform.provisioner.server.bootloaders;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes FAT images with mkfs.vfat and mtools: no root, no mount. UEFI firmware boots such an image
 * (as a USB disk, or as the El Torito EFI image of an ISO) from {@code EFI/BOOT/BOOT<arch>.EFI}.
 */
public final class FatImages {
    private static final long MIB = 1024 * 1024;

    private FatImages() {}

    /**
     * Writes {@code image} holding {@code files} (path in the image, {@code /}-separated, to source
     * file), sized to fit them.
     */
    public static void write(ToolRunner tools, Path image, Map<String, Path> files) {
        try {
            long content = 0;
            for (Path source : files.values()) {
                content += Files.size(source);
            }
            // FAT tables, directories and cluster slack: a tenth plus one MiB is plenty for a few files.
            long size = ((content + content / 10 + MIB) + MIB - 1) / MIB * MIB;
            Files.deleteIfExists(image);
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.setLength(size);
            }
            Path dir = image.toAbsolutePath().getParent();
            String img = image.toAbsolutePath().toString();
            tools.run(ToolRunner.Tool.MKFS_VFAT, List.of(img), dir);
            Set<String> dirs = new LinkedHashSet<>();
            for (String target : files.keySet()) {
                String[] parts = target.split("/");
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < parts.length - 1; i++) {
                    prefix.append('/').append(parts[i]);
                    dirs.add(prefix.toString());
                }
            }
            if (!dirs.isEmpty()) {
                List<String> args = new ArrayList<>(List.of("-i", img));
                dirs.forEach(d -> args.add("::" + d));
                tools.run(ToolRunner.Tool.MMD, args, dir);
            }
            for (Map.Entry<String, Path> entry : files.entrySet()) {
                tools.run(
                        ToolRunner.Tool.MCOPY,
                        List.of("-i", img, entry.getValue().toAbsolutePath().toString(), "::/" + entry.getKey()),
                        dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the FAT image " + image + ": " + e.getMessage(), e);
        }
    }
}
