package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.lab.NatSites.Site;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.MeshAgents;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Paths through NAT, measured (docs/BENCHMARKS.md, "Mesh: behind NAT"): the NAT lab of {@link
 * MeshNatLabTest} with sites A and B behind port-keeping NATs and C behind a symmetric one, and a
 * relay on the lab's "internet".
 *
 * <ol>
 *   <li>Reference, by hand, in the same namespaces: wireguard-go on A, B and C configured with {@code
 *       wg set}, A and B given each other's NAT mapping, A and C the relay's ports (the relay's
 *       forwarder given the pair): the time from setting the peers to the first answered ping, and
 *       iperf3 (TCP, {@code -t SECONDS}) from A to B (direct) and A to C (relayed).
 *   <li>The same with the server, {@code provisioner mesh relay} and the Java agent on A, B and C:
 *       the time from starting the agents to the first answered ping from A to B (through the relay)
 *       and to the direct path (A's WireGuard endpoint for B at B's NAT), and the same iperf3 runs.
 * </ol>
 *
 * <p>Relay CPU: the user and system time of the relay's process ({@code /proc/<pid>/stat}) during
 * the relayed iperf3 run, per Gbit/s forwarded. Not part of the suite (surefire skips *Benchmark; the
 * name leaves "Mesh" out so that -Dtest='Mesh*' skips it too). {@code -Dbenchmark.seconds} (default 5)
 * per iperf3 run. Writes the table to server/target/benchmarks/mesh-nat.md.
 */
class NatPathBenchmark {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 5);
    private static final long TICKS_PER_SECOND = 100;

    @Test
    void pathsThroughNat() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Lab lab = Lab.start()) {
            String prefix = String.format(
                    "fd%02x:%04x:%04x::", RANDOM.nextInt(256), RANDOM.nextInt(65536), RANDOM.nextInt(65536));
            Site a = NatSites.add(lab, "a", false, 31, 1, prefix);
            Site b = NatSites.add(lab, "b", false, 32, 2, prefix);
            Site c = NatSites.add(lab, "c", true, 33, 3, prefix);
            String relayNs = lab.addNamespace("relay", 40);
            String relayIp = lab.subnet() + ".40";
            for (Site site : List.of(b, c)) {
                lab.startProcess(site.host(), "iperf3-" + site.name(), List.of("iperf3", "-s"));
            }

            // 1. By hand.
            Lab.Daemon handRelay = lab.startProcess(
                    relayNs,
                    "relay-by-hand",
                    NatSites.java(RelayProcess.class, relayIp, "40001:" + a.publicKey() + ":40002:" + c.publicKey()));
            Awaitility.await("the relay is up")
                    .atMost(Timeouts.startup())
                    .until(() -> handRelay.output().contains("relay ready"));
            long start = System.nanoTime();
            NatSites.peer(lab, a, b, b.mapping());
            NatSites.peer(lab, b, a, a.mapping());
            NatSites.peer(lab, a, c, relayIp + ":40001");
            NatSites.peer(lab, c, a, relayIp + ":40002");
            double handDirectPing = untilPing(lab, a, b.overlay(), start);
            double handRelayedPing = untilPing(lab, a, c.overlay(), start);
            double handDirect = iperf(lab, a, b.overlay());
            long cpu = cpuTicks(handRelay.pid());
            double handRelayed = iperf(lab, a, c.overlay());
            double handRelayCpu = (cpuTicks(handRelay.pid()) - cpu) / (double) TICKS_PER_SECOND;
            handRelay.close();
            for (Site site : List.of(a, b, c)) {
                lab.exec(site.host(), "ip", "link", "del", site.ifname());
                MeshAgents.deleteControlSocket(site.ifname());
            }

            // 2. With the server, the relay and the Java agents.
            ThrowawayDirectory data = ThrowawayDirectory.create("provisioner-nat-bench-");
            ServerProcess server = ServerProcess.startOnRouter(lab, data.path());
            List<MeshAgents.Member> agents = new ArrayList<>();
            try {
                Api api = server.api().asOperator();
                assertThat(api.post("/api/mesh/networks", Json.body(Map.of("networkId", "bench")))
                                .status())
                        .isEqualTo(201);
                Lab.Daemon relay = NatSites.meshRelay(
                        lab, relayNs, "relay", lab.serverUrl(), token(api, "relay", 1), relayIp + ":40000");
                String nodeToken = token(api, "auto", 3);
                start = System.nanoTime();
                for (Site site : List.of(a, b, c)) {
                    agents.add(MeshAgents.javaAgent(
                            lab,
                            "host" + site.name(),
                            site.host(),
                            null,
                            site.ifname(),
                            lab.serverUrl(),
                            "join",
                            nodeToken,
                            false));
                }
                Map<String, JsonNode> nodes = new LinkedHashMap<>();
                Awaitility.await("three nodes joined")
                        .atMost(Timeouts.startup())
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            api.get("/api/mesh/networks/bench/nodes?pageSize=10")
                                    .json()
                                    .get("rows")
                                    .forEach(
                                            row -> nodes.put(row.get("hostname").asText(), row));
                            return nodes.size() == 4;
                        });
                String bOverlay = nodes.get("hostb").get("address").asText();
                String cOverlay = nodes.get("hostc").get("address").asText();
                double agentPing = untilPing(lab, a, bOverlay, start);
                double agentRelayedPing = untilPing(lab, a, cOverlay, start);
                Site bAsNode = b.withKey(nodes.get("hostb").get("publicKey").asText());
                Awaitility.await("a goes direct to b")
                        .atMost(Timeouts.scaled(Duration.ofSeconds(60)))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> NatSites.endpointOf(lab, a, bAsNode).equals(b.mapping()));
                double agentDirectAt = (System.nanoTime() - start) / 1e9;
                double agentDirect = iperf(lab, a, bOverlay);
                cpu = cpuTicks(relay.pid());
                double agentRelayed = iperf(lab, a, cOverlay);
                double agentRelayCpu = (cpuTicks(relay.pid()) - cpu) / (double) TICKS_PER_SECOND;

                rows.put("join (agents started) to first ping A -> B, through the relay", seconds(agentPing));
                rows.put("join to the direct path A <-> B (A's endpoint for B at B's NAT)", seconds(agentDirectAt));
                rows.put("join to first ping A -> C (symmetric NAT: relayed)", seconds(agentRelayedPing));
                rows.put("reference by hand: peers set to first ping A -> B, direct", seconds(handDirectPing));
                rows.put("reference by hand: peers set to first ping A -> C, relayed", seconds(handRelayedPing));
                rows.put("iperf3 A -> B direct, agents", mbits(agentDirect));
                rows.put("iperf3 A -> B direct, by hand (reference)", mbits(handDirect));
                rows.put("iperf3 A -> C relayed, agents", mbits(agentRelayed));
                rows.put("iperf3 A -> C relayed, by hand", mbits(handRelayed));
                rows.put("ratio direct agents / by hand (goal >= 0.9)", ratio(agentDirect / handDirect));
                rows.put("ratio relayed / direct, agents (goal >= 0.5)", ratio(agentRelayed / agentDirect));
                rows.put(
                        "relay CPU per Gbit/s relayed, agents (CPU s per s at 1 Gbit/s)",
                        ratio(agentRelayCpu / SECONDS / (agentRelayed / 1e9)));
                rows.put("relay CPU per Gbit/s relayed, by hand", ratio(handRelayCpu / SECONDS / (handRelayed / 1e9)));
            } finally {
                for (MeshAgents.Member m : agents) {
                    m.agent().close();
                }
                server.close();
                data.close();
            }
        }
        StringBuilder table = new StringBuilder("| what | value |\n|---|---|\n");
        rows.forEach((what, value) ->
                table.append("| ").append(what).append(" | ").append(value).append(" |\n"));
        System.out.println(table);
        Path out = Path.of("target/benchmarks/mesh-nat.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
    }

    private static double untilPing(Lab lab, Site from, String address, long start) {
        Awaitility.await("ping " + address)
                .atMost(Timeouts.scaled(Duration.ofSeconds(60)))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> lab.exec(from.host(), "ping", "-6", "-c1", "-W0.2", "-n", address)
                                .exitCode()
                        == 0);
        return (System.nanoTime() - start) / 1e9;
    }

    /** Bits per second received by iperf3's server, TCP from {@code from} to {@code address}. */
    private static double iperf(Lab lab, Site from, String address) throws Exception {
        Shell.Result run = lab.exec(from.host(), "iperf3", "-6", "-c", address, "-t", String.valueOf(SECONDS), "-J");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        return new ObjectMapper()
                .readTree(run.stdout())
                .path("end")
                .path("sum_received")
                .path("bits_per_second")
                .asDouble();
    }

    private static long cpuTicks(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat"))
                .replaceFirst("^.*\\) ", "")
                .split(" ");
        // after "pid (comm) ": state is field 0, utime 11, stime 12
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String token(Api api, String role, int uses) {
        Api.Response created =
                api.post("/api/mesh/networks/bench/tokens", Json.body(Map.of("role", role, "uses", uses)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    private static String seconds(double s) {
        return String.format("%.2f s", s);
    }

    private static String mbits(double bps) {
        return String.format("%.0f Mbit/s", bps / 1e6);
    }

    private static String ratio(double r) {
        return String.format("%.2f", r);
    }
}
