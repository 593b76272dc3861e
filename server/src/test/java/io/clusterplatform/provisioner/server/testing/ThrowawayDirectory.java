package io.clusterplatform.provisioner.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory that is deleted with everything in it when closed, or when the JVM exits if
 * a test never got to close it.
 */
public final class ThrowawayDirectory implements AutoCloseable {
    private final Path path;
    private final Thread shutdownHook;

    private ThrowawayDirectory(Path path) {
        this.path = path;
        this.shutdownHook = new Thread(() -> deleteRecursively(path), "delete " + path);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static ThrowawayDirectory create(String prefix) {
        try {
            return new ThrowawayDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        deleteRecursively(path);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs (or ran) anyway.
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
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
