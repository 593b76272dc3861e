package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The test node OS: a Debian Linux kernel (fetched by {@code provisioner_fetch_test_kernel} in
 * scripts/lib/setup.sh) and an initramfs built here, once per JVM, from the machine's busybox-static
 * and dropbear. Its /init loads the NIC drivers, takes a DHCP lease on eth0, fetches and runs the
 * postbootscript named by {@code provisioner.postboot=<url>} on the kernel command line, starts
 * dropbear with the key at {@code provisioner.sshkey=<url>} when given, and powers off when the command
 * line has {@code provisioner.poweroff=1} (else it stays up). Postbootscripts in the original API's style run
 * unchanged: {@code bash}, {@code sudo}, {@code curl} (GET, POST, -s, -o, -H, -d over busybox wget),
 * and no-op {@code dnf}, {@code yum}, {@code apt-get}, {@code systemctl} and {@code service} are shims
 * in the initramfs. The guest writes to the serial console ({@code console=ttyS0}).
 */
public final class TestOs {
    /** The DHCP address qemu's user network gives the (first) guest. */
    public static final String GUEST_IP = "10.0.2.15";

    private static final String RESOURCES = "/io/clusterplatform/provisioner/server/testing/testos/";
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Path DROPBEAR = Path.of("/usr/sbin/dropbear");
    private static final List<String> NO_OP_COMMANDS = List.of("dnf", "yum", "apt-get", "systemctl", "service");
    private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s*|^\\s*)(/\\S+)\\s+\\(0x");

    private static Path initramfs;

    private TestOs() {}

    /**
     * The directory with {@code vmlinuz} and {@code modules/}: PROVISIONER_TEST_KERNEL_DIR when set, else
     * the defaults of scripts/lib/setup.sh.
     */
    public static Path kernelDir() {
        String explicit = System.getenv("PROVISIONER_TEST_KERNEL_DIR");
        List<Path> candidates = explicit != null && !explicit.isBlank()
                ? List.of(Path.of(explicit))
                : List.of(
                        Path.of("/var/lib/provisioner/lab/kernel"),
                        Path.of(System.getProperty("user.home"), ".cache/provisioner/lab/kernel"));
        for (Path dir : candidates) {
            if (Files.isRegularFile(dir.resolve("vmlinuz"))) {
                return dir;
            }
        }
        throw new AssertionError("no test kernel (vmlinuz) in " + candidates
                + ": run scripts/run-tests.sh, or `. scripts/lib/setup.sh && provisioner_fetch_test_kernel`");
    }

    public static Path kernel() {
        return kernelDir().resolve("vmlinuz");
    }

    /** The initramfs (newc cpio, gzip), built on the first call and kept until the JVM exits. */
    public static synchronized Path initramfs() {
        if (initramfs == null) {
            initramfs = build(kernelDir());
        }
        return initramfs;
    }

    /** The kernel command line for a boot that runs {@code postbootUrl} (and may authorize {@code sshKeyUrl}). */
    public static String commandLine(String postbootUrl, String sshKeyUrl, boolean powerOff) {
        StringBuilder line = new StringBuilder("console=ttyS0 panic=-1");
        if (postbootUrl != null) {
            line.append(" provisioner.postboot=").append(postbootUrl);
        }
        if (sshKeyUrl != null) {
            line.append(" provisioner.sshkey=").append(sshKeyUrl);
        }
        if (powerOff) {
            line.append(" provisioner.poweroff=1");
        }
        return line.toString();
    }

    /**
     * Boots the test OS under qemu (direct kernel boot, user networking; this machine's loopback is
     * {@link QemuHost#HOST_LOOPBACK}). Either URL may be null. Close the host to kill it.
     */
    public static QemuHost boot(String postbootUrl, String sshKeyUrl, boolean powerOff, String... netdevOptions) {
        return QemuHost.bootKernel(kernel(), initramfs(), commandLine(postbootUrl, sshKeyUrl, powerOff), netdevOptions);
    }

    private static Path build(Path kernelDir) {
        require(BUSYBOX, "busybox-static");
        require(DROPBEAR, "dropbear-bin");
        // Deleted when the JVM exits, like every ThrowawayDirectory that is not closed.
        ThrowawayDirectory cache = ThrowawayDirectory.create("provisioner-testos-");
        Path root = cache.path().resolve("root");
        try {
            for (String dir : List.of(
                    "bin",
                    "dev",
                    "proc",
                    "sys",
                    "tmp",
                    "run",
                    "root",
                    "etc/dropbear",
                    "lib/modules",
                    "var/log",
                    "usr")) {
                Files.createDirectories(root.resolve(dir));
            }
            Files.createSymbolicLink(root.resolve("sbin"), Path.of("bin"));
            Files.createSymbolicLink(root.resolve("usr/bin"), Path.of("../bin"));
            Files.createSymbolicLink(root.resolve("usr/sbin"), Path.of("../bin"));

            Files.copy(BUSYBOX, root.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            for (String applet : run("/bin/busybox", "--list").split("\\s+")) {
                Path link = root.resolve("bin").resolve(applet);
                if (!applet.isEmpty() && Files.notExists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, Path.of("busybox"));
                }
            }
            executable(root.resolve("init"), resource("init"));
            executable(root.resolve("etc/udhcpc.script"), resource("udhcpc.script"));
            for (String shim : List.of("bash", "curl", "sudo")) {
                executable(root.resolve("bin").resolve(shim), resource(shim));
            }
            for (String command : NO_OP_COMMANDS) {
                executable(root.resolve("bin").resolve(command), resource("noop"));
            }
            Files.writeString(root.resolve("etc/passwd"), "root:*:0:0:root:/root:/bin/sh\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
            Files.writeString(root.resolve("etc/shells"), "/bin/sh\n");
            Files.writeString(root.resolve("etc/hostname"), "testos\n");

            // Debian's dropbear is linked dynamically: the binary, the libraries ldd names and the loader.
            Files.copy(DROPBEAR, root.resolve("bin/dropbear"), StandardCopyOption.COPY_ATTRIBUTES);
            for (Path library : sharedLibraries(DROPBEAR)) {
                Path target = root.resolve(library.toString().substring(1));
                Files.createDirectories(target.getParent());
                // Follows symbolic links: the initramfs gets the files themselves.
                Files.copy(library, target, StandardCopyOption.REPLACE_EXISTING);
            }

            Path modules = kernelDir.resolve("modules");
            if (Files.isDirectory(modules)) {
                try (Stream<Path> files = Files.list(modules)) {
                    for (Path file : files.toList()) {
                        Files.copy(file, root.resolve("lib/modules").resolve(file.getFileName()));
                    }
                }
            }

            Path image = cache.path().resolve("initramfs.cpio.gz");
            run(
                    "bash",
                    "-c",
                    "set -o pipefail; cd \"$1\" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet"
                            + " | gzip -1 >\"$2\"",
                    "build-initramfs",
                    root.toString(),
                    image.toString());
            return image;
        } catch (IOException e) {
            cache.close();
            throw new UncheckedIOException("cannot build the test OS initramfs: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            cache.close();
            throw e;
        }
    }

    /** The shared libraries and the loader that ldd lists for {@code binary}. */
    static List<Path> sharedLibraries(Path binary) {
        Set<Path> libraries = new LinkedHashSet<>();
        for (String line : run("ldd", binary.toString()).split("\n")) {
            Matcher matcher = LDD_PATH.matcher(line);
            if (matcher.find()) {
                libraries.add(Path.of(matcher.group(1)));
            }
        }
        if (libraries.isEmpty()) {
            throw new AssertionError("ldd lists no libraries for " + binary);
        }
        return new ArrayList<>(libraries);
    }

    private static void executable(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TestOs.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCES + name);
            }
            return in.readAllBytes();
        }
    }

    private static void require(Path file, String debianPackage) {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(
                    file + " is missing: install the " + debianPackage + " package (scripts/run-tests.sh does)");
        }
    }

    private static String run(String... command) {
        Shell.Result result = Shell.run(List.of(command), Timeouts.process());
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + result.stdout() + result.stderr());
        }
        return result.stdout();
    }
}
