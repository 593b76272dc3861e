package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real program (bash, curl, ssh-keygen...) and captures what it printed. */
public final class Shell {
    private Shell() {}

    public record Result(int exitCode, String stdout, String stderr) {}

    public static Result bash(String script) {
        return run(List.of("bash", "-c", script), Timeouts.process());
    }

    public static Result run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            var out = process.getInputStream();
            var err = process.getErrorStream();
            var stdout = new java.util.concurrent.CompletableFuture<String>();
            var stderr = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> stdout.complete(readAll(out)));
            Thread.ofVirtual().start(() -> stderr.complete(readAll(err)));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + command);
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
