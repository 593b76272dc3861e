package io.clusterplatform.provisioner.server.bootloaders;

import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Builds a SYSLINUX artifact: the system's fragment, copied under its own name. */
public final class SyslinuxBuild {
    private final BootloaderSource source;

    public SyslinuxBuild(BootloaderSource source) {
        this.source = source;
    }

    /** Copies the fragment into {@code outputDir} (created if missing) and answers the copy. */
    public Path build(SyslinuxFragment fragment, Path outputDir) {
        Path from = source.syslinux(fragment);
        try {
            Files.createDirectories(outputDir);
            Path copy = outputDir.resolve(fragment.fileName());
            Files.copy(from, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " into " + outputDir + ": " + e.getMessage(), e);
        }
    }
}
