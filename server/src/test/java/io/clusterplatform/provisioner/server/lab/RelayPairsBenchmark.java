package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.mesh.WireguardMessages;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The relay with many pairs (docs/BENCHMARKS.md, "Mesh: behind NAT"): {@link RelayProcess} (the
 * distributor's RelayForwarder) in a process of its own on loopback with {@code -Dbenchmark.pairs}
 * pairs (default 1,000: two UDP ports each), and simulated nodes in this JVM: one UDP socket per side
 * of each pair, which sends a handshake initiation made for the other side's key (so the relay learns
 * where it is), then transport-data datagrams of 128 bytes. Measured from {@code /proc/<pid>}: the
 * relay's resident memory and threads with all pairs set up, and its CPU time over {@code
 * -Dbenchmark.seconds} (default 10) idle, and while every side sends one datagram a second (what
 * WireGuard's keepalives of every 25 s, or light traffic, look like to a relay). Not part of the suite.
 */
class RelayPairsBenchmark {
    private static final int PAIRS = Integer.getInteger("benchmark.pairs", 1000);
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 10);
    private static final int BASE = 45_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aThousandPairs() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2 * PAIRS; i++) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            keys.add(Base64.getEncoder().encodeToString(key));
        }
        List<String> command = new ArrayList<>(NatSites.java(RelayProcess.class, "127.0.0.1"));
        command.set(1, "-Xmx256m");
        for (int i = 0; i < PAIRS; i++) {
            command.add(
                    (BASE + 2 * i + 1) + ":" + keys.get(2 * i) + ":" + (BASE + 2 * i + 2) + ":" + keys.get(2 * i + 1));
        }
        Process relay = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<DatagramChannel> sides = new ArrayList<>();
        StringBuilder table = new StringBuilder("| what | value |\n|---|---|\n");
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.contains("relay ready")) {
                            ready.countDown();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the relay was stopped
                }
            });
            assertThat(ready.await(120, TimeUnit.SECONDS))
                    .as("the relay bound its ports")
                    .isTrue();
            // Every side says where it is with a handshake initiation made for its partner's key.
            for (int i = 0; i < 2 * PAIRS; i++) {
                DatagramChannel side = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                side.configureBlocking(false);
                sides.add(side);
                byte[] init = new byte[148];
                init[0] = 1;
                int offset = WireguardMessages.mac1Offset(WireguardMessages.Type.HANDSHAKE_INITIATION);
                byte[] mac1 = WireguardMessages.mac1(WireguardMessages.mac1Key(keys.get(i ^ 1)), init, offset);
                System.arraycopy(mac1, 0, init, offset, 16);
                side.send(ByteBuffer.wrap(init), new InetSocketAddress("127.0.0.1", BASE + i + 1));
            }
            Thread.sleep(1000);
            table.append("| pairs (UDP ports) | ")
                    .append(PAIRS)
                    .append(" (")
                    .append(2 * PAIRS)
                    .append(") |\n");
            table.append("| relay resident memory, all pairs learnt | ")
                    .append(status(relay.pid(), "VmRSS"))
                    .append(" |\n");
            table.append("| relay threads (platform) | ")
                    .append(status(relay.pid(), "Threads"))
                    .append(" |\n");

            long cpu = cpuTicks(relay.pid());
            Thread.sleep(SECONDS * 1000L);
            double idle = (cpuTicks(relay.pid()) - cpu) / 100.0 / SECONDS;
            table.append(String.format("| relay CPU, idle | %.3f cores |%n", idle));

            byte[] data = new byte[128];
            data[0] = 4;
            ByteBuffer receive = ByteBuffer.allocate(2048);
            long sent = 0;
            long received = 0;
            cpu = cpuTicks(relay.pid());
            long start = System.nanoTime();
            for (int second = 0; second < SECONDS; second++) {
                long tick = start + TimeUnit.SECONDS.toNanos(second);
                for (int i = 0; i < sides.size(); i++) {
                    sides.get(i).send(ByteBuffer.wrap(data), new InetSocketAddress("127.0.0.1", BASE + i + 1));
                    sent++;
                }
                while (System.nanoTime() < tick + TimeUnit.SECONDS.toNanos(1)) {
                    for (DatagramChannel side : sides) {
                        while (side.receive(receive.clear()) != null) {
                            received++;
                        }
                    }
                    Thread.sleep(50);
                }
            }
            double busy = (cpuTicks(relay.pid()) - cpu) / 100.0 / SECONDS;
            table.append(String.format(
                    "| relay CPU, every side 1 datagram/s (%d datagrams/s) | %.3f cores |%n", 2 * PAIRS, busy));
            table.append(String.format(
                    "| relay CPU per datagram forwarded | %.1f us |%n", (busy - idle) * 1e6 / (2.0 * PAIRS)));
            table.append("| datagrams sent / forwarded back to the simulated nodes | ")
                    .append(sent)
                    .append(" / ")
                    .append(received)
                    .append(" |\n");
            assertThat(received).as("the relay forwarded what the pairs sent").isGreaterThan(sent * 9 / 10);
        } finally {
            for (DatagramChannel side : sides) {
                side.close();
            }
            relay.destroy();
            relay.waitFor(10, TimeUnit.SECONDS);
        }
        System.out.println(table);
        Path file = Path.of("target/benchmarks/relay-pairs.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, table.toString());
    }

    private static String status(long pid, String field) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).strip())
                .findFirst()
                .orElse("?");
    }

    private static long cpuTicks(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat"))
                .replaceFirst("^.*\\) ", "")
                .split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
