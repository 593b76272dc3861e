package io.clusterplatform.provisioner.server.bootloaders;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external tools of the builders (grub-mkimage, mkfs.vfat, mtools) with a timeout. Output
 * (stdout and stderr together) is captured and put into the error when a tool fails; a tool that is
 * not installed is named with the Debian package that brings it.
 */
public final class ToolRunner {
    /** The most output kept for an error message: the end, where tools say what went wrong. */
    private static final int MAX_OUTPUT = 4000;

    private static final List<Path> EXTRA_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/sbin"));

    private final Duration timeout;

    public ToolRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** An external program and the Debian packages to install when it is missing. */
    public record Tool(String name, String packages) {
        public static final Tool MKFS_VFAT = new Tool("mkfs.vfat", "dosfstools");
        public static final Tool MMD = new Tool("mmd", "mtools");
        public static final Tool MCOPY = new Tool("mcopy", "mtools");
        public static final Tool XORRISO = new Tool("xorriso", "xorriso");
    }

    /**
     * Runs {@code tool args...} in {@code workDir} and answers its output; throws a problem naming the
     * package when the tool is missing, and one carrying the output when it fails or times out.
     */
    public String run(Tool tool, List<String> args, Path workDir) {
        Path program = locate(tool.name())
                .orElseThrow(
                        () -> SystemBootloaderSource.missing(tool.name() + " not found: install " + tool.packages()));
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("LC_ALL", "C");
        // mtools otherwise refuses images whose size is not a whole number of its idea of cylinders.
        builder.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw SystemBootloaderSource.missing(
                    "cannot start " + tool.name() + " (" + e.getMessage() + "): install " + tool.packages());
        }
        CompletableFuture<String> output = new CompletableFuture<>();
        InputStream out = process.getInputStream();
        Thread.ofVirtual().start(() -> output.complete(readAll(out)));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw failed(tool.name() + " did not finish within " + timeout + ": " + tail(output.getNow("")));
            }
            String text = output.get(10, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw failed(String.join(" ", command) + " failed with exit code " + process.exitValue() + ": "
                        + tail(text));
            }
            return text;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failed(tool.name() + " was interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw failed("cannot read the output of " + tool.name() + ": " + e.getMessage());
        }
    }

    /** The program on PATH (and in /usr/sbin, /sbin, which PATH of a normal user may lack). */
    static Optional<Path> locate(String name) {
        Set<Path> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        dirs.addAll(EXTRA_DIRS);
        return dirs.stream()
                .map(dir -> dir.resolve(name))
                .filter(Files::isExecutable)
                .filter(Files::isRegularFile)
                .findFirst();
    }

    private static ProblemException failed(String detail) {
        return new ProblemException(500, "Bootloader build failed", detail);
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= MAX_OUTPUT ? trimmed : "..." + trimmed.substring(trimmed.length() - MAX_OUTPUT);
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
