package io.clusterplatform.provisioner.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/** The PXE lab itself: real namespaces, a real DHCP server, a real BIOS host; nothing left behind. */
class LabTest {

    @Test
    void biosHostOnTheLanGetsALeaseFromTheRoutersDhcpServer() {
        try (Lab lab = Lab.start()) {
            assertThat(Lab.listNamespaces()).containsAll(lab.namespaces());
            Lab.Host host = lab.bootHost(QemuHost.Firmware.BIOS);
            assertThat(host.mac()).matches("52:54:00(:[0-9a-f]{2}){3}");

            try {
                Awaitility.await("a lease for " + host.mac())
                        .atMost(Timeouts.scaled(Duration.ofSeconds(90)))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            if (!host.qemu().isRunning()) {
                                throw new AssertionError(
                                        "qemu exited: " + host.qemu().output());
                            }
                            return lab.leasedAddress(host.mac()).isPresent();
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(
                        e.getMessage() + "\nrouter log:\n" + read(lab.routerLog()) + "\n"
                                + host.qemu().output(),
                        e);
            }

            String address = lab.leasedAddress(host.mac()).orElseThrow();
            assertThat(address).startsWith(lab.subnet() + ".");
            int last = Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
            assertThat(last).isBetween(100, 150);
            assertThat(read(lab.routerLog())).contains("DHCPACK(eth0) " + address + " " + host.mac());

            host.close();
            assertThat(host.qemu().isRunning()).isFalse();
        }
    }

    @Test
    void closeLeavesNoNamespaceNoProcessAndNoDirectory() {
        Lab lab = Lab.start();
        Path directory = lab.directory();
        long dnsmasq;
        long qemu;
        try {
            dnsmasq = lab.routerDhcp().pid();
            qemu = lab.bootHost(QemuHost.Firmware.BIOS).qemu().pid();
            assertThat(labProcesses(lab)).contains(dnsmasq, qemu);
            assertThat(Lab.listNamespaces()).containsAll(lab.namespaces());
            assertThat(directory).isDirectory();
        } finally {
            lab.close();
        }
        assertThat(Lab.listNamespaces()).noneMatch(ns -> ns.startsWith(lab.id() + "-"));
        assertThat(labProcesses(lab)).isEmpty();
        assertThat(ProcessHandle.of(dnsmasq)).isEmpty();
        assertThat(ProcessHandle.of(qemu)).isEmpty();
        assertThat(directory).doesNotExist();
    }

    @Test
    void theNextLabRemovesWhatAKilledLabLeftBehindAndKeepsLiveLabs() throws Exception {
        long dead = deadPid();
        String killed = Lab.PREFIX + dead + "-1";
        String live = Lab.PREFIX + ProcessHandle.current().pid() + "-9999";
        List<String> made = List.of(killed + "-lan", killed + "-router", live + "-lan");
        Path killedDir = Files.createTempDirectory(killed + "-");
        Process orphan = null;
        try {
            for (String ns : made) {
                run("ip", "netns", "add", ns);
            }
            orphan = new ProcessBuilder(
                            Lab.program("ip", "iproute2"), "netns", "exec", killed + "-router", "sleep", "600")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true)
                    .start();
            Process sleeping = orphan;
            Awaitility.await("sleep runs inside " + killed + "-router")
                    .atMost(Timeouts.process())
                    .until(() ->
                            run("ip", "netns", "pids", killed + "-router").contains(Long.toString(sleeping.pid())));

            try (Lab lab = Lab.start()) {
                assertThat(Lab.listNamespaces())
                        .doesNotContain(killed + "-lan", killed + "-router")
                        .contains(live + "-lan")
                        .containsAll(lab.namespaces());
                assertThat(orphan.waitFor(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS))
                        .as("the process inside the killed lab's namespace is gone")
                        .isTrue();
                assertThat(killedDir).doesNotExist();
            }
        } finally {
            if (orphan != null) {
                orphan.destroyForcibly();
            }
            for (String ns : made) {
                if (Lab.listNamespaces().contains(ns)) {
                    Lab.removeNamespace(ns);
                }
            }
            ThrowawayDirectory.deleteRecursively(killedDir);
        }
    }

    /** A PID no process has: one of a process that has just exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        return pid;
    }

    private static List<Long> labProcesses(Lab lab) {
        Shell.Result result = Shell.run(List.of("pgrep", "-f", lab.id() + "-"), Timeouts.process());
        List<Long> pids = new ArrayList<>();
        result.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> pids.add(Long.parseLong(l)));
        return pids;
    }

    private static String run(String... command) {
        List<String> full = new ArrayList<>(List.of(command));
        full.set(0, Lab.program(command[0], "iproute2"));
        Shell.Result result = Shell.run(full, Timeouts.process());
        assertThat(result.exitCode())
                .as(String.join(" ", command) + ": " + result.stderr())
                .isZero();
        return result.stdout();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
