package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Join-to-first-ping: in the mesh lab (server in the router namespace, wireguard-go hosts in namespaces
 * on the LAN, as {@link MeshLabTest}), host "peer" has joined and its agent waits on its peer map; in
 * each round a host in a second namespace starts an agent with a join token, and the time runs from
 * the agent's start to the first ping from that host to the peer's overlay address that gets an
 * answer. Both agents are measured: the shell agent a postbootscript runs ({@code curl agent.sh | sh},
 * which generates the key) and the Java one ({@code provisioner mesh join}, including its JVM's start).
 * After each round the node is removed through the API and its agent exits.
 *
 * <p>Reference in the same run, in the same two namespaces: wireguard-go interfaces configured by hand
 * ({@code wg set}, {@code ip address}), keys generated beforehand and the peer's side configured
 * before the clock starts; the time runs from starting wireguard-go on the joining host to the first
 * answered ping. That is the floor: no server, no key generation, no peer-map round trip.
 *
 * <p>Pings: {@code ping -6 -c1 -W0.2} in a loop with 20 ms pauses, in the joining host's namespace
 * (resolution about 0.2 s). {@code -Dbenchmark.runs} rounds (default 5), the three ways taking turns.
 * Not part of the test suite (surefire skips *Benchmark; the name leaves "Mesh" out so that
 * -Dtest='Mesh*,*Mesh*' skips it too); the command is in docs/BENCHMARKS.md.
 * Writes the table to server/target/benchmarks/mesh-join.md.
 */
class JoinToFirstPingBenchmark {
    private static final int RUNS = Integer.getInteger("benchmark.runs", 5);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SHELL = "shell agent (agent.sh fetched with curl), join to first ping";
    private static final String JAVA = "Java agent (provisioner mesh join, JVM start included), join to first ping";
    private static final String REFERENCE = "reference: wireguard-go configured by hand, start to first ping";
    private static final int REF_PORT_PEER = 51900;
    private static final int REF_PORT_JOINER = 51901;

    record Sample(String way, double seconds) {}

    private final List<String> interfaces = new ArrayList<>();

    @Test
    void joinToFirstPing() throws Exception {
        List<Sample> samples = new ArrayList<>();
        try (Lab lab = Lab.start();
                ThrowawayDirectory data = ThrowawayDirectory.create("provisioner-mesh-bench-")) {
            ServerProcess server = ServerProcess.startOnRouter(lab, data.path());
            try {
                Api api = server.api().asOperator();
                String network = "bench-" + ProcessHandle.current().pid();
                Api.Response created = api.post("/api/mesh/networks", Json.body(Map.of("networkId", network)));
                assertThat(created.status()).as(created.toString()).isEqualTo(201);

                String peerNs = lab.addNamespace("peer", 11);
                String joinerNs = lab.addNamespace("joiner", 12);
                String joinerUnderlay = lab.subnet() + ".12";
                String peerIf = ifname("p");
                MeshAgents.Member peer = MeshAgents.shellAgent(
                        lab, "peer", peerNs, lab.subnet() + ".11", peerIf, lab.serverUrl(), token(api, network));
                String peerAddress =
                        awaitNode(api, network, "peer", peer).get("address").asText();
                awaitPeers(lab, peer, 0);

                Reference reference = new Reference(lab, peerNs, joinerNs, lab.subnet() + ".11", joinerUnderlay);
                for (int run = 1; run <= RUNS; run++) {
                    samples.add(new Sample(
                            SHELL,
                            agentRound(lab, api, network, peer, peerAddress, joinerNs, joinerUnderlay, "sh" + run)));
                    samples.add(new Sample(
                            JAVA,
                            agentRound(lab, api, network, peer, peerAddress, joinerNs, joinerUnderlay, "jv" + run)));
                    samples.add(new Sample(REFERENCE, reference.round(run)));
                    System.out.printf(
                            Locale.ROOT,
                            "MESH JOIN run %d: shell agent %.2f s, Java agent %.2f s, reference %.2f s%n",
                            run,
                            samples.get(samples.size() - 3).seconds(),
                            samples.get(samples.size() - 2).seconds(),
                            samples.get(samples.size() - 1).seconds());
                }
            } finally {
                server.close();
            }
        } finally {
            interfaces.forEach(MeshAgents::deleteControlSocket);
        }
        String table = table(samples);
        System.out.println(table);
        Path out = Path.of("target", "benchmarks", "mesh-join.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

    /** A host joins with a new single-use token; seconds from the agent's start to the first answered ping. */
    private double agentRound(
            Lab lab,
            Api api,
            String network,
            MeshAgents.Member peer,
            String peerAddress,
            String ns,
            String underlay,
            String name) {
        String token = token(api, network);
        String ifname = ifname(name);
        long start = System.nanoTime();
        MeshAgents.Member joiner = name.startsWith("sh")
                ? MeshAgents.shellAgent(lab, name, ns, underlay, ifname, lab.serverUrl(), token)
                : MeshAgents.javaAgent(lab, name, ns, underlay, ifname, lab.serverUrl(), "join", token, true);
        double seconds = firstPing(lab, ns, peerAddress, start, joiner.agent());

        // Removal: the agent's next poll gets 401, it takes its interface down and exits; the peer drops it.
        long nodeId = awaitNode(api, network, name, joiner).get("nodeId").asLong();
        assertThat(api.delete("/api/mesh/networks/" + network + "/nodes/" + nodeId)
                        .status())
                .isEqualTo(204);
        Awaitility.await(name + "'s agent exits after its removal")
                .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !joiner.agent().isAlive());
        joiner.agent().close();
        lab.exec(ns, "ip", "link", "del", "dev", ifname); // normally gone already
        awaitPeers(lab, peer, 0);
        return seconds;
    }

    /** The hand-configured pair: the peer's interface stays up, the joiner's is started in each round. */
    private final class Reference {
        private final Lab lab;
        private final String peerNs;
        private final String joinerNs;
        private final String peerUnderlay;
        private final String joinerUnderlay;
        private final String prefix;
        private final String peerIf = ifname("rp");
        private final String peerPublicKey;
        private String joinerPublicKey;

        Reference(Lab lab, String peerNs, String joinerNs, String peerUnderlay, String joinerUnderlay) {
            this.lab = lab;
            this.peerNs = peerNs;
            this.joinerNs = joinerNs;
            this.peerUnderlay = peerUnderlay;
            this.joinerUnderlay = joinerUnderlay;
            byte[] b = new byte[5];
            RANDOM.nextBytes(b);
            String hex = HexFormat.of().formatHex(b);
            // A random ULA /64 (fdxx:xxxx:xxxx:1::/64) that exists only inside the lab's namespaces.
            this.prefix = "fd" + hex.substring(0, 2) + ":" + hex.substring(2, 6) + ":" + hex.substring(6, 10) + ":1::";
            this.peerPublicKey = generateKey("ref-peer.key");
            lab.startProcess(peerNs, "ref-wg-peer", List.of("wireguard-go", "-f", peerIf));
            sh(
                    peerNs,
                    "until wg show " + peerIf + " >/dev/null 2>&1; do sleep 0.01; done; wg set " + peerIf
                            + " private-key " + key("ref-peer.key") + " listen-port " + REF_PORT_PEER
                            + " && ip address add " + prefix + "1/64 dev " + peerIf + " nodad && ip link set dev "
                            + peerIf + " up");
        }

        double round(int run) {
            String keyFile = "ref-joiner-" + run + ".key";
            String publicKey = generateKey(keyFile);
            // The peer knows the joiner before the clock starts: no control plane in this path.
            sh(
                    peerNs,
                    (joinerPublicKey == null ? "" : "wg set " + peerIf + " peer " + joinerPublicKey + " remove && ")
                            + "wg set " + peerIf + " peer " + publicKey + " allowed-ips " + prefix + "2/128 endpoint "
                            + joinerUnderlay + ":" + REF_PORT_JOINER + " persistent-keepalive 25");
            joinerPublicKey = publicKey;
            String joinerIf = ifname("r" + run);
            long start = System.nanoTime();
            Lab.Daemon wireguard = lab.startProcess(joinerNs, "ref-wg-" + run, List.of("wireguard-go", "-f", joinerIf));
            sh(
                    joinerNs,
                    "until wg show " + joinerIf + " >/dev/null 2>&1; do sleep 0.01; done; wg set " + joinerIf
                            + " private-key " + key(keyFile) + " listen-port " + REF_PORT_JOINER + " peer "
                            + peerPublicKey + " allowed-ips " + prefix + "1/128 endpoint " + peerUnderlay + ":"
                            + REF_PORT_PEER + " persistent-keepalive 25 && ip address add " + prefix + "2/64 dev "
                            + joinerIf + " nodad && ip link set dev " + joinerIf + " up");
            double seconds = firstPing(lab, joinerNs, prefix + "1", start, wireguard);
            wireguard.close(); // SIGTERM: wireguard-go deletes its interface and socket
            lab.exec(joinerNs, "ip", "link", "del", "dev", joinerIf);
            return seconds;
        }

        private String key(String file) {
            return lab.directory().resolve(file).toString();
        }

        /** A private key in the lab's directory (mode 0600); returns its public key. */
        private String generateKey(String file) {
            Shell.Result result = Shell.bash("umask 077 && wg genkey >" + key(file) + " && wg pubkey <" + key(file));
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            return result.stdout().strip();
        }

        private void sh(String ns, String script) {
            Shell.Result result = lab.exec(ns, "sh", "-c", script);
            assertThat(result.exitCode()).as(script + ": " + result.stderr()).isZero();
        }
    }

    /**
     * Pings {@code address} from {@code ns} until one is answered; seconds since {@code start}. The
     * loop runs in the namespace, so one process start (not one per ping) is in the figure.
     */
    private static double firstPing(Lab lab, String ns, String address, long start, Lab.Daemon agent) {
        Shell.Result result = lab.exec(
                ns,
                "timeout",
                "50",
                "sh",
                "-c",
                "until ping -6 -n -c1 -W0.2 " + address + " >/dev/null 2>&1; do sleep 0.02; done");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(result.exitCode())
                .as("no ping to " + address + " answered within 50 s; " + agent.name() + ": " + agent.output())
                .isZero();
        return seconds;
    }

    private String ifname(String suffix) {
        String name = MeshAgents.interfaceName(suffix);
        interfaces.add(name);
        return name;
    }

    private static String token(Api api, String network) {
        Api.Response created = api.post("/api/mesh/networks/" + network + "/tokens", Json.body(Map.of("uses", 1)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    private static JsonNode awaitNode(Api api, String network, String hostname, MeshAgents.Member member) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await(hostname + " joined")
                .atMost(Timeouts.startup())
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!member.agent().isAlive()) {
                        throw new AssertionError(
                                hostname + "'s agent exited: " + member.agent().output());
                    }
                    for (JsonNode row : api.get("/api/mesh/networks/" + network + "/nodes?pageSize=100")
                            .json()
                            .get("rows")) {
                        if (row.get("hostname").asText().equals(hostname)) {
                            found[0] = row;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    /** Waits until {@code member}'s interface is up with {@code count} peers. */
    private static void awaitPeers(Lab lab, MeshAgents.Member member, int count) {
        Awaitility.await(member.name() + " has " + count + " peers")
                .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Shell.Result peers = lab.exec(member.namespace(), "wg", "show", member.ifname(), "peers");
                    return peers.exitCode() == 0
                            && peers.stdout().lines().filter(l -> !l.isBlank()).count() == count;
                });
    }

    private static String table(List<Sample> samples) {
        StringBuilder out = new StringBuilder("| path | seconds | / reference |\n|---|---|---|\n");
        double reference = median(samples.stream()
                .filter(s -> s.way().equals(REFERENCE))
                .map(Sample::seconds)
                .toList());
        for (String way : List.of(SHELL, JAVA, REFERENCE)) {
            List<Double> of = samples.stream()
                    .filter(s -> s.way().equals(way))
                    .map(Sample::seconds)
                    .toList();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f (%s) | %.1f |%n",
                    way,
                    median(of),
                    String.join(
                            ", ",
                            of.stream()
                                    .map(v -> String.format(Locale.ROOT, "%.2f", v))
                                    .toList()),
                    median(of) / reference));
        }
        out.append("\nMedians of ")
                .append(RUNS)
                .append(" runs each (every run in brackets); the three ways take turns within each run.\n");
        return out.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
