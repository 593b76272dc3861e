package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.QemuHost;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.TestOs;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Time-to-node: from power-on to "registered and answering SSH", for a BIOS and a UEFI host booting
 * through the distributor (firmware PXE, iPXE, mainscript, subscript, kernel and initramfs over HTTP,
 * the test OS), next to the same kernel and initramfs booted directly by qemu in the same run (the ratio
 * is the overhead of our boot chain). Not part of the test suite (surefire skips *Benchmark); run it
 * with the command in docs/BENCHMARKS.md. Hosts boot one at a time; each is measured {@code
 * -Dbenchmark.runs} times (default 3). Writes the table to server/target/benchmarks/time-to-node.md.
 */
class TimeToNodeBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    private static final boolean CAPTURE = Boolean.parseBoolean(System.getProperty("benchmark.capture", "true"));

    record Sample(String path, double registered, double ssh) {}

    @Test
    void timeToNode() throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            samples.add(direct());
        }
        try (PxeSite site = PxeSite.start()) {
            long publicKey = site.storeKeyPair();
            site.prepareBootChain(false, publicKey);
            site.startAgent();
            site.servePxe();
            for (QemuHost.Firmware firmware : List.of(QemuHost.Firmware.BIOS, QemuHost.Firmware.UEFI)) {
                for (int i = 0; i < RUNS; i++) {
                    samples.add(pxe(site, firmware, i + 1));
                }
            }
        }
        String table = table(samples);
        System.out.println(table);
        Path out = Path.of("target", "benchmarks", "time-to-node.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

    /** The test OS booted by qemu directly (kernel + initrd, user networking) against a server on loopback. */
    private static Sample direct() throws IOException {
        try (ThrowawayDirectory data = ThrowawayDirectory.create("provisioner-bench-");
                ServerProcess server = ServerProcess.start(data.path())) {
            Api api = server.api().asOperator();
            String fromGuest = "http://" + QemuHost.HOST_LOOPBACK + ":" + server.port();
            var pair = api.get("/api/sshkey?algorithm=ed25519").json();
            long keyId = api.post(
                            "/api/sshkeys",
                            JSON.createObjectNode()
                                    .put("text", pair.get("publicKey").asText())
                                    .put("artifactId", "bench")
                                    .put("private", false)
                                    .toString())
                    .json()
                    .get("id")
                    .asLong();
            String script = "#!/bin/sh\nip=$(ip -4 addr show dev eth0 | grep -o 'inet [0-9.]*' | cut -d ' ' -f 2)\n"
                    + "curl --request POST \"" + fromGuest
                    + "/api/localnodes?ip=${ip}&artifactId=bench&pingable=true\"\n";
            long postboot = api.post(
                            "/api/postbootscripts",
                            JSON.createObjectNode().put("text", script).toString())
                    .json()
                    .get("id")
                    .asLong();
            TestOs.initramfs();
            int sshPort = ServerProcess.freePort();
            long start = System.nanoTime();
            try (QemuHost host = TestOs.boot(
                    fromGuest + "/api/postbootscripts/" + postboot,
                    fromGuest + "/api/sshkeys/" + keyId,
                    false,
                    "hostfwd=tcp:127.0.0.1:" + sshPort + "-:22")) {
                double registered = await(
                        () -> api.get("/api/localnodes?search=bench&searchFields=artifactId")
                                        .json()
                                        .get("total")
                                        .asInt()
                                > 0,
                        start,
                        host);
                double ssh = await(() -> sshBanner("127.0.0.1", sshPort), start, host);
                return new Sample("direct kernel boot (qemu -kernel)", registered, ssh);
            }
        }
    }

    /**
     * A host of the lab booting through the distributor; its packets are captured on the LAN and the
     * story of the boot (every packet but TCP segments and TFTP's bulk) is written to
     * target/benchmarks/time-to-node-{firmware}-{run}.txt.
     */
    private static Sample pxe(PxeSite site, QemuHost.Firmware firmware, int run) throws IOException {
        String mac = String.format(Locale.ROOT, "52:54:00:7e:%02x:%02x", firmware.ordinal(), run);
        Path out = Path.of(
                "target", "benchmarks", "time-to-node-" + firmware.name().toLowerCase(Locale.ROOT) + "-" + run);
        BootCapture capture =
                CAPTURE ? BootCapture.start(site.lab, mac, out.resolveSibling(out.getFileName() + ".pcap")) : null;
        long start = System.nanoTime();
        Lab.Host host = site.lab.bootHost(firmware, mac);
        try {
            double registered = await(
                    () -> site.lab
                            .leasedAddress(host.mac())
                            .flatMap(site::localnode)
                            .isPresent(),
                    start,
                    host.qemu());
            String ip = site.lab.leasedAddress(host.mac()).orElseThrow();
            double ssh = await(() -> bannerFromDistributor(site.lab, ip), start, host.qemu());
            Sample sample = new Sample("PXE through the distributor, " + firmware, registered, ssh);
            if (capture != null) {
                List<BootCapture.Packet> story = BootCapture.story(capture.stop());
                StringBuilder text = new StringBuilder(String.format(
                        Locale.ROOT,
                        "%s run %d: registered at %.1f s, SSH at %.1f s; seconds from power-on%n",
                        firmware,
                        run,
                        registered,
                        ssh));
                story.forEach(p -> text.append(p.line()).append('\n'));
                Files.writeString(out.resolveSibling(out.getFileName() + ".txt"), text);
                System.out.println(text);
            }
            return sample;
        } finally {
            host.close();
            if (capture != null) {
                capture.close();
            }
        }
    }

    private static boolean sshBanner(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(2000);
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("SSH-2.0");
        } catch (IOException e) {
            return false;
        }
    }

    /** The node's SSH banner as the distributor's namespace sees it (the LAN is only reachable from there). */
    private static boolean bannerFromDistributor(Lab lab, String ip) {
        return lab.exec(
                        lab.distributorNamespace(),
                        "timeout",
                        "3",
                        "bash",
                        "-c",
                        "exec 3<>/dev/tcp/" + ip + "/22 && head -c 7 <&3")
                .stdout()
                .equals("SSH-2.0");
    }

    private static double await(BooleanSupplier condition, long start, QemuHost host) {
        long deadline = start + Timeouts.scaled(Duration.ofMinutes(5)).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime())
                    .as("boot did not finish: " + host.output())
                    .isLessThan(deadline);
            assertThat(host.isRunning())
                    .as("the host stopped: " + host.output())
                    .isTrue();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static String table(List<Sample> samples) {
        StringBuilder out = new StringBuilder("| boot path | registered (s) | answering SSH (s) | SSH / direct |\n");
        out.append("|---|---|---|---|\n");
        double direct = median(samples.stream()
                .filter(s -> s.path().startsWith("direct"))
                .map(Sample::ssh)
                .toList());
        for (String path : samples.stream().map(Sample::path).distinct().toList()) {
            List<Sample> of =
                    samples.stream().filter(s -> s.path().equals(path)).toList();
            double registered = median(of.stream().map(Sample::registered).toList());
            double ssh = median(of.stream().map(Sample::ssh).toList());
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f (%s) | %.1f (%s) | %.2f |%n",
                    path,
                    registered,
                    all(of.stream().map(Sample::registered).toList()),
                    ssh,
                    all(of.stream().map(Sample::ssh).toList()),
                    ssh / direct));
        }
        out.append("\nMedians of ")
                .append(RUNS)
                .append(" runs each (every run in brackets), seconds from qemu's start.\n");
        return out.toString();
    }

    private static String all(List<Double> values) {
        return String.join(
                ", ",
                values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
