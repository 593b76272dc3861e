package io.clusterplatform.provisioner.server.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolRunnerTest {
    @TempDir
    Path dir;

    @Test
    void aMissingToolIsNamedWithItsPackage() {
        ToolRunner runner = new ToolRunner(Duration.ofSeconds(10));

        assertThatThrownBy(() -> runner.run(
                        new ToolRunner.Tool("grub-mkimage-that-is-not-there", "grub-efi-amd64-bin and grub-common"),
                        List.of(),
                        dir))
                .isInstanceOf(ProblemException.class)
                .hasMessage("grub-mkimage-that-is-not-there not found: install grub-efi-amd64-bin and grub-common");
    }

    @Test
    void aFailingToolsOutputAndExitCodeAreInTheError() {
        ToolRunner runner = new ToolRunner(Duration.ofSeconds(10));

        assertThatThrownBy(() -> runner.run(
                        new ToolRunner.Tool("sh", "dash"), List.of("-c", "echo broken image >&2; exit 3"), dir))
                .isInstanceOfSatisfying(
                        ProblemException.class, p -> assertThat(p.status()).isEqualTo(500))
                .hasMessageContaining("exit code 3")
                .hasMessageContaining("broken image");
    }

    @Test
    void aToolThatHangsIsStoppedAfterTheTimeout() {
        ToolRunner runner = new ToolRunner(Duration.ofMillis(300));
        long start = System.nanoTime();

        assertThatThrownBy(() ->
                        runner.run(new ToolRunner.Tool("sh", "dash"), List.of("-c", "echo started; sleep 30"), dir))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("did not finish within PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void answersTheOutputOfASuccessfulRunInTheWorkDirectory() throws Exception {
        ToolRunner runner = new ToolRunner(Duration.ofSeconds(10));

        assertThat(runner.run(new ToolRunner.Tool("sh", "dash"), List.of("-c", "pwd"), dir))
                .isEqualTo(dir.toRealPath().toString() + "\n");
    }
}
