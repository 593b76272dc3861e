package io.clusterplatform.provisioner.distributor;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of its own ({@code cpp-<pid>-<n>-agent}, the naming the server's lab cleans up
 * after killed runs) with {@code lo} up and a veth pair whose end {@code d0} holds {@code 10.214.7.2/24} (this kernel has no dummy
 * interfaces):
 * a dnsmasq in it binds ports 67 and 69 without touching this machine's own. {@link #wrap} gives a
 * program that runs dnsmasq inside it. Needs root and iproute2.
 */
public final class TestNamespace implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    final String name;

    private TestNamespace(String name) {
        this.name = name;
    }

    public static TestNamespace create() {
        String name = "cpp-" + ProcessHandle.current().pid() + "-" + (1000 + SEQUENCE.incrementAndGet()) + "-agent";
        TestNamespace ns = new TestNamespace(name);
        try {
            run("ip", "netns", "add", name);
            run("ip", "-n", name, "link", "set", "lo", "up");
            run("ip", "-n", name, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
            run("ip", "-n", name, "link", "set", "d1", "up");
            run("ip", "-n", name, "addr", "add", "10.214.7.2/24", "dev", "d0");
            run("ip", "-n", name, "link", "set", "d0", "up");
            return ns;
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
    }

    /** A script in {@code dir} that runs {@code program} inside this namespace with the arguments it gets. */
    public Path wrap(Path dir, String program) {
        Path script = dir.resolve("in-" + name + "-" + program.replace('/', '_'));
        try {
            Files.writeString(
                    script,
                    "#!/bin/sh\nexec ip netns exec " + name + " " + DistributorAgentCommand.program(program)
                            + " \"$@\"\n",
                    StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** dnsmasq serves TFTP as nobody: JUnit's temporary directories (0700) must let it through. */
    public static void openForDnsmasq(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Kills what still runs inside, then deletes the namespace. */
    @Override
    public void close() {
        String pids = output("ip", "netns", "pids", name);
        for (String pid :
                pids.lines().map(String::strip).filter(l -> l.matches("\\d+")).toList()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
        output("ip", "netns", "del", name);
    }

    static void run(String... command) {
        String out = output(command);
        if (out.startsWith("FAILED")) {
            throw new AssertionError(String.join(" ", command) + ": " + out);
        }
    }

    private static String output(String... command) {
        List<String> full = new ArrayList<>(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "FAILED: timed out";
            }
            return p.exitValue() == 0 ? text : "FAILED (" + p.exitValue() + "): " + text;
        } catch (IOException e) {
            return "FAILED: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "FAILED: interrupted";
        }
    }
}
