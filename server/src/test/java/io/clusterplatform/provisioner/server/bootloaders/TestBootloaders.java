package io.clusterplatform.provisioner.server.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The machine's bootloaders as the tests see them, and the tools that inspect what was built. */
public final class TestBootloaders {
    private TestBootloaders() {}

    /** The system source, with the iPXE directory the setup scripts exported (or found by default). */
    public static SystemBootloaderSource systemSource() {
        BootloaderSettings defaults = BootloaderSettings.defaults();
        return SystemBootloaderSource.from(new BootloaderSettings(
                System.getenv().getOrDefault("PROVISIONER_IPXE_DIR", ""),
                defaults.grubDir(),
                defaults.isolinuxDir(),
                defaults.syslinuxModulesDir(),
                defaults.toolTimeout()));
    }

    public static ToolRunner tools() {
        return new ToolRunner(Timeouts.process());
    }

    /** Runs a program that must succeed and answers its stdout. */
    static String run(String... command) {
        Shell.Result result = Shell.run(List.of(command), Timeouts.process());
        assertThat(result.exitCode())
                .as("%s failed: %s%s", String.join(" ", command), result.stdout(), result.stderr())
                .isZero();
        return result.stdout();
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a file out of a FAT image with mtools. */
    static Path extractFromFat(Path image, String pathInImage, Path to) {
        run("mcopy", "-n", "-i", image.toString(), "::/" + pathInImage, to.toString());
        return to;
    }

    /** Whether the bytes of {@code needle} occur in the file. */
    static boolean containsBytes(Path file, byte[] needle) {
        try {
            byte[] hay = Files.readAllBytes(file);
            outer:
            for (int i = 0; i <= hay.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
