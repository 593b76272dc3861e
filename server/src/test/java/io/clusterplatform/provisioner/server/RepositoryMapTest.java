package io.clusterplatform.provisioner.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README's map of the repository names every feature package of the server and of the agent. */
class RepositoryMapTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theMapNamesEveryServerFeaturePackage() throws IOException {
        assertThat(row("server/"))
                .contains(quoted(packages("server/src/main/java/io/clusterplatform/provisioner/server")));
    }

    @Test
    void theMapNamesEveryPackageOfTheAgent() throws IOException {
        assertThat(row("distributor/"))
                .contains(quoted(packages("distributor/src/main/java/io/clusterplatform/provisioner/distributor")));
    }

    private static String row(String path) throws IOException {
        return Files.readAllLines(ROOT.resolve("README.md")).stream()
                .filter(line -> line.startsWith("| `" + path + "` |"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no map row for " + path));
    }

    private static List<String> packages(String dir) throws IOException {
        try (Stream<Path> entries = Files.list(ROOT.resolve(dir))) {
            List<String> names = entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
            assertThat(names).as("packages under " + dir).isNotEmpty();
            return names;
        }
    }

    private static String[] quoted(List<String> names) {
        return names.stream().map(n -> "`" + n + "`").toArray(String[]::new);
    }
}
