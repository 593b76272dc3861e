package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A virtual host under qemu's software emulation ({@code -accel tcg}; KVM fails on these machines),
 * with BIOS (SeaBIOS) or UEFI (OVMF) firmware, booting an image as a CD or as a USB-like disk. Its
 * network is qemu's user-mode network: the host's 127.0.0.1 is 10.0.2.2 for the guest, so it reaches
 * only servers on this machine's loopback. Or, with {@link #pxeBoot}, it sits on a tap device of a {@link Lab}'s
 * LAN and boots from the network. Close it to kill it; nothing stays behind.
 */
public final class QemuHost implements AutoCloseable {
    /** Where the guest sees this machine's loopback. */
    public static final String HOST_LOOPBACK = "10.0.2.2";

    public enum Firmware {
        BIOS,
        UEFI
    }

    public enum Media {
        CDROM,
        USB_DISK
    }

    private static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    private static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    private final Process process;
    private final ThrowawayDirectory dir;

    private QemuHost(Process process, ThrowawayDirectory dir) {
        this.process = process;
        this.dir = dir;
    }

    /** Powers on a host that boots {@code image}; the host powers off by itself when its script says so. */
    public static QemuHost boot(Firmware firmware, Media media, Path image) {
        return boot(firmware, media, image, null);
    }

    /**
     * Like {@link #boot(Firmware, Media, Path)}, with qemu's DHCP server naming {@code bootfile} as the
     * boot file (an http URL), as a LAN's DHCP server with a filename option would.
     */
    public static QemuHost boot(Firmware firmware, Media media, Path image, String bootfile) {
        ThrowawayDirectory dir = ThrowawayDirectory.create("provisioner-qemu-");
        try {
            List<String> command = new ArrayList<>(baseCommand(firmware, dir));
            command.addAll(List.of("-netdev", "user,id=n0" + (bootfile == null ? "" : ",bootfile=" + bootfile)));
            if (firmware == Firmware.UEFI) {
                command.addAll(ovmf(dir));
                command.addAll(List.of("-device", "virtio-net-pci,netdev=n0,romfile="));
            } else {
                command.addAll(List.of("-device", "e1000,netdev=n0,romfile="));
            }
            if (media == Media.CDROM) {
                command.addAll(List.of("-drive", "file=" + image + ",media=cdrom,readonly=on", "-boot", "d"));
            } else {
                String bus = firmware == Firmware.UEFI ? "virtio" : "ide";
                command.addAll(List.of("-drive", "file=" + image + ",format=raw,if=" + bus + ",snapshot=on"));
            }
            return start(command, dir);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * A host on a tap device of a lab's LAN that boots from the network (PXE): qemu runs inside {@code
     * namespace} (where the tap lives) and attaches to the existing tap {@code tap}, with MAC {@code mac}.
     * A BIOS host has an e1000 card with qemu's own iPXE option ROM; a UEFI host has OVMF with a
     * virtio-net card whose option ROM is left out ({@code romfile=}) so the firmware's own PXE boots.
     * {@code name} becomes qemu's {@code -name} and the start of its directory's name, so the process
     * and the directory can be found by it (a lab removes both when a killed run left them).
     */
    public static QemuHost pxeBoot(Firmware firmware, String namespace, String tap, String mac, String name) {
        ThrowawayDirectory dir = ThrowawayDirectory.create(name + "-");
        try {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            command.addAll(baseCommand(firmware, dir));
            command.addAll(List.of(
                    "-name", name, "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no", "-boot", "n"));
            if (firmware == Firmware.UEFI) {
                command.addAll(ovmf(dir));
                command.addAll(List.of("-device", "virtio-net-pci,netdev=n0,romfile=,mac=" + mac));
            } else {
                command.addAll(List.of("-device", "e1000,netdev=n0,mac=" + mac));
            }
            return start(command, dir);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Powers on a BIOS host (256 MiB, an e1000 NIC) that boots {@code kernel} with {@code initrd} and
     * the kernel command line {@code append} directly, without firmware boot media: qemu's direct kernel
     * boot. The guest's serial console is ttyS0 (put {@code console=ttyS0} into {@code append} to see
     * its messages in {@link #output()}). {@code netdevOptions} are added to qemu's user network, e.g.
     * {@code hostfwd=tcp:127.0.0.1:2222-:22}.
     */
    public static QemuHost bootKernel(Path kernel, Path initrd, String append, String... netdevOptions) {
        for (Path file : List.of(kernel, initrd)) {
            if (!Files.isRegularFile(file)) {
                throw new AssertionError(file + " is missing");
            }
        }
        ThrowawayDirectory dir = ThrowawayDirectory.create("provisioner-qemu-");
        try {
            StringBuilder netdev = new StringBuilder("user,id=n0");
            for (String option : netdevOptions) {
                netdev.append(',').append(option);
            }
            List<String> command = new ArrayList<>(baseCommand(Firmware.BIOS, dir));
            command.addAll(List.of(
                    "-netdev", netdev.toString(),
                    "-device", "e1000,netdev=n0,romfile=",
                    "-kernel", kernel.toString(),
                    "-initrd", initrd.toString(),
                    "-append", append));
            return start(command, dir);
        } catch (RuntimeException | Error e) {
            dir.close();
            throw e;
        }
    }

    private static List<String> baseCommand(Firmware firmware, ThrowawayDirectory dir) {
        return List.of(
                "qemu-system-x86_64",
                "-accel",
                "tcg",
                "-m",
                firmware == Firmware.UEFI ? "512" : "256",
                "-nographic",
                "-no-reboot",
                "-monitor",
                "none",
                "-serial",
                "file:" + dir.path().resolve("serial.log"));
    }

    private static List<String> ovmf(ThrowawayDirectory dir) throws IOException {
        requireFile(OVMF_CODE, "ovmf");
        Path vars = dir.path().resolve("OVMF_VARS.fd");
        Files.copy(OVMF_VARS, vars);
        return List.of(
                "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                "-drive", "if=pflash,format=raw,file=" + vars);
    }

    private static QemuHost start(List<String> command, ThrowawayDirectory dir) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(dir.path().resolve("stdout.log").toFile())
                    .redirectError(dir.path().resolve("stderr.log").toFile())
                    .start();
            return new QemuHost(process, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start qemu-system-x86_64 (install qemu-system-x86): " + e.getMessage(), e);
        }
    }

    /** Waits for the host to power off; fails with qemu's own output if it does not in time. */
    public void awaitPowerOff(Duration timeout) {
        try {
            if (!process.waitFor(Timeouts.scaled(timeout).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        "the host did not power off within " + Timeouts.scaled(timeout) + "; " + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The process id of qemu (for a PXE host, {@code ip netns exec} has become qemu). */
    public long pid() {
        return process.pid();
    }

    /** What qemu printed and the guest wrote to its serial port, for failure messages. */
    public String output() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("stderr.log", "serial.log")) {
            Path file = dir.path().resolve(name);
            try {
                if (Files.exists(file)) {
                    String text = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
                    out.append(name)
                            .append(": ")
                            .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text)
                            .append('\n');
                }
            } catch (IOException e) {
                out.append(name).append(": unreadable\n");
            }
        }
        return out.toString();
    }

    private static void requireFile(Path file, String debianPackage) {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(
                    file + " is missing: install the " + debianPackage + " package (scripts/run-tests.sh does)");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dir.close();
    }
}
