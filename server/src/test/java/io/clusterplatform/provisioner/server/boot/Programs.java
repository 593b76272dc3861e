package io.clusterplatform.provisioner.server.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The programs the boot path benchmark drives, found by absolute path or refused with what to install. */
final class Programs {
    private Programs() {}

    /** {@code name} in the bin and sbin directories (a non-login PATH may lack sbin). */
    static String find(String name, String debianPackages) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is missing: install it with apt-get install -y " + debianPackages
                + " (scripts/run-benchmark.sh installs what the benchmarks need)");
    }

    /** A program of the newest PostgreSQL under /usr/lib/postgresql, as {@code PostgresServer} picks it. */
    static String postgres(String name) {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .map(v -> v.resolve("bin").resolve(name))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparingDouble(p -> Double.parseDouble(
                            p.getParent().getParent().getFileName().toString())))
                    .map(Path::toString)
                    .orElseThrow(() -> new AssertionError(name + " is missing under " + root
                            + "/<version>/bin: install it with apt-get install -y postgresql"
                            + " (scripts/run-benchmark.sh installs what the benchmarks need)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
