package io.clusterplatform.provisioner.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenSSH {@code ssh-keygen}, for tests that check our keys against the reference tool.
 * Each call works in its own temporary directory, which it deletes; key files get mode 600 because
 * ssh-keygen refuses private keys others can read.
 */
public final class SshKeygen {
    public static final Path EXECUTABLE = Path.of("/usr/bin/ssh-keygen");

    private SshKeygen() {}

    /** The outcome of one run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError("ssh-keygen " + what + " failed (" + exitCode + "): " + stderr.strip());
            }
            return this;
        }
    }

    /** A key pair written by ssh-keygen: the private key file and the {@code .pub} line. */
    public record KeyFiles(String privateKey, String publicKey) {}

    /** {@code ssh-keygen -y}: the public key line (with the key's comment) of a private key. */
    public static Result publicKeyOf(String privateKey) {
        return withKeyFile(privateKey, file -> run("-y", "-P", "", "-f", file.toString()));
    }

    /** {@code ssh-keygen -l}: {@code <bits> SHA256:<fingerprint> <comment> (<TYPE>)} of a public or private key. */
    public static Result fingerprintOf(String key) {
        return withKeyFile(key, file -> run("-l", "-f", file.toString()));
    }

    /** The {@code SHA256:...} word of {@link #fingerprintOf}. */
    public static String fingerprint(String key) {
        return fingerprintOf(key).requireSuccess("-l").stdout().split("\\s+")[1];
    }

    /** The bits word of {@link #fingerprintOf}. */
    public static int bits(String key) {
        return Integer.parseInt(fingerprintOf(key).requireSuccess("-l").stdout().split("\\s+")[0]);
    }

    /**
     * A fresh key: {@code ssh-keygen -q -t <type> -C <comment> -N <passphrase> [extra...]}, e.g. extra
     * {@code -b 384} or {@code -m PEM}.
     */
    public static KeyFiles generate(String type, String comment, String passphrase, String... extra) {
        return inTempDir(dir -> {
            Path file = dir.resolve("key");
            List<String> args = new ArrayList<>(List.of("-q", "-t", type, "-C", comment, "-N", passphrase));
            args.addAll(List.of(extra));
            args.addAll(List.of("-f", file.toString()));
            run(args.toArray(String[]::new)).requireSuccess("generate " + type);
            return new KeyFiles(
                    Files.readString(file, StandardCharsets.US_ASCII),
                    Files.readString(dir.resolve("key.pub"), StandardCharsets.US_ASCII));
        });
    }

    /** Rewrites a private key file in another format ({@code ssh-keygen -p -m <format>}), e.g. PKCS8. */
    public static String convert(String privateKey, String format) {
        return withKeyFile(privateKey, file -> {
            run("-p", "-P", "", "-N", "", "-m", format, "-f", file.toString()).requireSuccess("-p -m " + format);
            return Files.readString(file, StandardCharsets.US_ASCII);
        });
    }

    public static Result run(String... args) {
        return inTempDir(dir -> {
            List<String> command = new ArrayList<>();
            command.add(EXECUTABLE.toString());
            command.addAll(List.of(args));
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Process process = new ProcessBuilder(command)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            try {
                if (!process.waitFor(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("ssh-keygen did not finish within " + Timeouts.process());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        });
    }

    private interface IoFunction<T> {
        T apply(Path path) throws IOException;
    }

    private static <T> T withKeyFile(String key, IoFunction<T> action) {
        return inTempDir(dir -> {
            Path file = dir.resolve("key");
            Files.writeString(file, key, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return action.apply(file);
        });
    }

    private static <T> T inTempDir(IoFunction<T> action) {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new AssertionError(EXECUTABLE + " is missing: install the openssh-client package");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ssh-keygen-");
            return action.apply(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                deleteQuietly(dir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }
}
