package io.clusterplatform.provisioner.server.bootloaders;

import io.clusterplatform.provisioner.core.bootloaders.GrubTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a GRUB EFI image for an ISO with {@code grub-mkimage}: its embedded config finds the medium
 * by label and loads {@code /boot/grub/grub.cfg} from it (see {@link GrubTarget#embeddedConfig()}).
 * Writes {@code grub.img} (fragment img: a FAT image holding {@code EFI/BOOT/BOOTX64.EFI} or {@code
 * BOOTIA32.EFI}) or {@code grub.zip} (fragment efi: a zip of {@code EFI/BOOT/<file>}).
 */
public final class GrubBuild {
    private final BootloaderSource source;
    private final ToolRunner tools;

    public GrubBuild(BootloaderSource source, ToolRunner tools) {
        this.source = source;
        this.tools = tools;
    }

    /** Writes the artifact's file into {@code outputDir} (created if missing) and answers it. */
    public Path build(GrubTarget target, Path outputDir) {
        Path modules = source.grubModules(target.architecture());
        Path work = null;
        try {
            Files.createDirectories(outputDir);
            work = Files.createTempDirectory(outputDir, ".grub-");
            Path config = work.resolve("embedded.cfg");
            Files.writeString(config, target.embeddedConfig(), StandardCharsets.UTF_8);
            String bootFile = target.architecture().efiBootFileName();
            Path efi = work.resolve(bootFile);
            List<String> args = new ArrayList<>(List.of(
                    "-O", target.architecture().grubFormat(),
                    "-d", modules.toString(),
                    "-c", config.toString(),
                    "-p", "/boot/grub",
                    "-o", efi.toString()));
            args.addAll(GrubTarget.MODULES);
            tools.run(mkimage(target.architecture()), args, work);
            Path artifact = outputDir.resolve(target.artifactFileName());
            switch (target.fragment()) {
                case IMG -> FatImages.write(tools, artifact, Map.of("EFI/BOOT/" + bootFile, efi));
                case EFI -> zip(artifact, "EFI/BOOT/" + bootFile, efi);
            }
            return artifact;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the GRUB artifact into " + outputDir + ": " + e.getMessage(), e);
        } finally {
            deleteRecursively(work);
        }
    }

    static ToolRunner.Tool mkimage(GrubTarget.Architecture architecture) {
        return new ToolRunner.Tool(
                "grub-mkimage", SystemBootloaderSource.grubPackage(architecture) + " and grub-common");
    }

    private static void zip(Path zip, String entryName, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream archive = new ZipOutputStream(out)) {
            String[] parts = entryName.split("/");
            StringBuilder dir = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                dir.append(parts[i]).append('/');
                archive.putNextEntry(new ZipEntry(dir.toString()));
                archive.closeEntry();
            }
            archive.putNextEntry(new ZipEntry(entryName));
            Files.copy(file, archive);
            archive.closeEntry();
        }
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
