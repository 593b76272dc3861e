package io.clusterplatform.provisioner.server.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external programs the builders use (xorriso, mtools, grub-mkimage...) with a timeout, and
 * turns every failure into a {@link ToolFailedException} whose message says what to do: which Debian
 * package is missing, or the program's own last words.
 */
public class ExternalTools {
    private static final int OUTPUT_TAIL = 2000;
    private final Duration timeout;

    public ExternalTools(Duration timeout) {
        this.timeout = timeout;
    }

    /** A tool failed, is missing or timed out; the message is fit for a job's error. */
    public static class ToolFailedException extends IOException {
        public ToolFailedException(String message) {
            super(message);
        }
    }

    /**
     * Runs the command and returns its standard output.
     *
     * @param debianPackage the package that provides the program, named in the error when it is missing
     */
    public String run(List<String> command, String debianPackage) throws IOException {
        Result result = execute(command, debianPackage);
        if (result.exitCode != 0) {
            throw new ToolFailedException(command.get(0) + " failed with exit code " + result.exitCode + ": "
                    + tail(result.stderr.isBlank() ? result.stdout : result.stderr));
        }
        return result.stdout;
    }

    /** Runs the command and ignores a non-zero exit (still fails when the program is missing). */
    public void runAllowingFailure(List<String> command) throws IOException {
        execute(command, command.get(0));
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    private Result execute(List<String> command, String debianPackage) throws IOException {
        Path program = find(command.get(0));
        if (program == null) {
            throw new ToolFailedException(command.get(0) + " not found: install the " + debianPackage
                    + " package (scripts/start-server.sh installs it)");
        }
        List<String> resolved = new java.util.ArrayList<>(command);
        resolved.set(0, program.toString());
        Process process = new ProcessBuilder(resolved)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ToolFailedException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ToolFailedException(command.get(0) + " was interrupted");
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    /** The program's path, looked up on PATH and in the sbin directories (mkfs.vfat lives there). */
    static Path find(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program)) ? Path.of(program) : null;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/local/sbin:/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        return null;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= OUTPUT_TAIL ? trimmed : "..." + trimmed.substring(trimmed.length() - OUTPUT_TAIL);
    }
}
