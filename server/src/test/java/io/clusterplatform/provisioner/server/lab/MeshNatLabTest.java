package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.distributor.mesh.MeshCommand;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.MeshAgents;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes behind NAT, in network namespaces with real parts: nftables masquerade on each site's router
 * (which drops unsolicited inbound traffic), wireguard-go on each host, and the relay's data path
 * ({@link RelayProcess}, the distributor's RelayForwarder) on the lab's "internet" segment.
 *
 * <ul>
 *   <li>sites A and B: masquerade that keeps the source port when it can (endpoint-independent
 *       mapping, as most home routers);
 *   <li>site C: masquerade with fully random ports (a new mapping per destination: symmetric NAT).
 * </ul>
 *
 * <p>A and B reach each other directly, each given the other's public mapping (hole punching: both
 * send, each NAT lets the other's answer in); pairs with C go through the relay, one relay port per
 * node and pair. The relay learns where each node's datagrams come from, which shows the two kinds of
 * NAT (A's port kept, C's replaced), and a capture on the relay shows that what it forwards is
 * WireGuard's encrypted transport data, not the inner packets. The server's part (handing out relays
 * and candidates) and the agents' part are not built yet: the peers are configured here by hand.
 */
class MeshNatLabTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int WG_PORT = 51820;
    /** 16 bytes the pings carry: in the inner packets, never on the relay's wire. */
    private static final String PATTERN = "5ca1ab1e0ddba11c0ffee15900d1dea5";

    private record Site(
            String name,
            boolean randomPorts,
            String nat,
            String host,
            String ifname,
            String key,
            String publicKey,
            String overlay,
            String publicIp) {}

    private Lab lab;
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private String relayNs;
    private String relayIp;

    @BeforeEach
    void startLab() {
        lab = Lab.start();
    }

    @AfterEach
    void tearDown() {
        try {
            lab.close(); // stops wireguard-go, the relay and tcpdump, and deletes the namespaces
        } finally {
            for (Site site : sites.values()) {
                MeshAgents.deleteControlSocket(site.ifname());
            }
        }
    }

    @Test
    void directBetweenPortKeepingNatsRelayedWithSymmetricNatAndTheRelayCannotRead() throws Exception {
        String prefix =
                String.format("fd%02x:%04x:%04x::", RANDOM.nextInt(256), RANDOM.nextInt(65536), RANDOM.nextInt(65536));
        addSite("a", false, 31, 1, prefix, true);
        addSite("b", false, 32, 2, prefix, true);
        addSite("c", true, 33, 3, prefix, true);
        relayNs = lab.addNamespace("relay", 40);
        relayIp = lab.subnet() + ".40";
        Site a = sites.get("a");
        Site b = sites.get("b");
        Site c = sites.get("c");

        Lab.Daemon relay = lab.startProcess(
                relayNs,
                "relay",
                List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        RelayProcess.class.getName(),
                        relayIp,
                        "40001:" + a.publicKey() + ":40002:" + c.publicKey(),
                        "40003:" + b.publicKey() + ":40004:" + c.publicKey()));
        Awaitility.await("the relay is up")
                .atMost(Timeouts.startup())
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    assertThat(relay.isAlive()).as(relay.output()).isTrue();
                    return relay.output().contains("relay ready");
                });

        // A and B: each other's public mapping, as a coordinator would hand it out. C: the relay.
        peer(a, b, b.publicIp() + ":" + WG_PORT);
        peer(b, a, a.publicIp() + ":" + WG_PORT);
        peer(a, c, relayIp + ":40001");
        peer(c, a, relayIp + ":40002");
        peer(b, c, relayIp + ":40003");
        peer(c, b, relayIp + ":40004");

        long start = System.nanoTime();
        assertAllPairsPing("all three pairs ping each other's overlay address", Site::overlay, () -> "");
        System.out.printf("NAT lab: 6 pings answered after %d ms%n", (System.nanoTime() - start) / 1_000_000);

        assertThat(endpointOf(a, b))
                .as("a reaches b at b's NAT, not through the relay")
                .isEqualTo(b.publicIp() + ":" + WG_PORT);
        assertThat(endpointOf(b, a)).isEqualTo(a.publicIp() + ":" + WG_PORT);
        assertThat(endpointOf(a, c)).isEqualTo(relayIp + ":40001");
        assertThat(endpointOf(c, b)).isEqualTo(relayIp + ":40004");

        // Where the relay saw each node: A's NAT kept its port, C's gave it another one.
        Map<String, String> seen = seenByRelay(relay.output());
        assertThat(seen.get(a.publicKey())).isEqualTo(a.publicIp() + ":" + WG_PORT);
        assertThat(seen.get(b.publicKey())).isEqualTo(b.publicIp() + ":" + WG_PORT);
        assertThat(seen.get(c.publicKey())).startsWith(c.publicIp() + ":").isNotEqualTo(c.publicIp() + ":" + WG_PORT);

        assertTheRelayForwardsOnlyCiphertext(a, c);
    }

    /**
     * The same sites with the server and its agents: the server on the lab's router, a relay ({@code
     * provisioner mesh relay}) on the "internet", and behind the three NATs the Java agent (A, C) and
     * the shell agent (B), none with an endpoint. The server gives every pair ports on the relay and
     * each node its peers at them: all six pings are answered, through the relay.
     */
    @Test
    void agentsBehindNatReachEachOtherThroughARelayTheServerHandsOut() throws Exception {
        String prefix = "unused::";
        addSite("a", false, 31, 1, prefix, false);
        addSite("b", false, 32, 2, prefix, false);
        addSite("c", true, 33, 3, prefix, false);
        relayNs = lab.addNamespace("relay", 40);
        relayIp = lab.subnet() + ".40";
        ThrowawayDirectory data = ThrowawayDirectory.create("provisioner-nat-lab-");
        ServerProcess server = ServerProcess.startIn(
                lab.routerNamespace(),
                Lab.SERVER_PORT,
                lab.serverApiPort(),
                data.path(),
                "--provisioner.public-url=" + lab.serverUrl());
        List<MeshAgents.Member> agents = new ArrayList<>();
        try {
            Api api = server.api().asOperator();
            String network = "nat-" + ProcessHandle.current().pid();
            assertThat(api.post("/api/mesh/networks", Json.body(Map.of("networkId", network)))
                            .status())
                    .isEqualTo(201);
            String relayToken = joinToken(api, network, "relay", 1);
            String nodeToken = joinToken(api, network, "auto", 3);

            Lab.Daemon relay = lab.startProcess(
                    relayNs,
                    "mesh-relay",
                    List.of(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-Xmx96m",
                            "-XX:TieredStopAtLevel=1",
                            "-cp",
                            System.getProperty("java.class.path"),
                            MeshCommand.class.getName(),
                            "relay",
                            "--server",
                            lab.serverUrl(),
                            "--token",
                            relayToken,
                            "--state-dir",
                            lab.directory().resolve("mesh-relay").toString(),
                            "--hostname",
                            "relay",
                            "--endpoint",
                            relayIp + ":40000"));
            for (Site site : sites.values()) {
                agents.add(
                        site.name().equals("b")
                                ? MeshAgents.shellAgent(
                                        lab,
                                        "host" + site.name(),
                                        site.host(),
                                        null,
                                        site.ifname(),
                                        lab.serverUrl(),
                                        nodeToken)
                                : MeshAgents.javaAgent(
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
            Map<String, String> overlay = new LinkedHashMap<>();
            Awaitility.await("the relay and three nodes joined")
                    .atMost(Timeouts.startup())
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(relay.isAlive()).as(relay.output()).isTrue();
                        for (MeshAgents.Member m : agents) {
                            assertThat(m.agent().isAlive())
                                    .as(m.name() + ": " + m.agent().output())
                                    .isTrue();
                        }
                        JsonNode rows = api.get("/api/mesh/networks/" + network + "/nodes?pageSize=10")
                                .json()
                                .get("rows");
                        rows.forEach(row -> overlay.put(
                                row.get("hostname").asText(), row.get("address").asText()));
                        return overlay.size() == 4;
                    });

            long start = System.nanoTime();
            assertAllPairsPing(
                    "all three pairs ping each other's overlay address through the relay",
                    site -> overlay.get("host" + site.name()),
                    () -> "; relay: " + relay.output());
            System.out.printf(
                    "NAT lab with agents: 6 pings answered after %d ms%n", (System.nanoTime() - start) / 1_000_000);
            for (Site site : sites.values()) {
                Shell.Result endpoints = lab.exec(site.host(), "wg", "show", site.ifname(), "endpoints");
                assertThat(endpoints.stdout().lines().map(line -> line.split("\\s+")[1]))
                        .as(site.name() + "'s peers are at the relay's ports")
                        .hasSize(2)
                        .allSatisfy(endpoint -> assertThat(endpoint).matches(Pattern.quote(relayIp) + ":400\\d\\d"));
            }
            assertThat(api.get("/api/mesh/networks/" + network + "/nodes?search=relay&searchFields=hostname")
                            .json()
                            .get("rows")
                            .get(0)
                            .get("role")
                            .asText())
                    .isEqualTo("relay");
        } finally {
            for (MeshAgents.Member m : agents) {
                m.agent().close();
            }
            server.close();
            data.close();
        }
    }

    private static String joinToken(Api api, String network, String role, int uses) {
        Api.Response created =
                api.post("/api/mesh/networks/" + network + "/tokens", Json.body(Map.of("role", role, "uses", uses)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    /**
     * Pings with {@link #PATTERN} from {@code from} to {@code to} (relayed) while tcpdump captures on
     * the relay's wire and on {@code to}'s WireGuard interface: the pattern is in the inner packets,
     * and nowhere in what the relay forwarded, which is WireGuard messages only, transport data mostly.
     */
    private void assertTheRelayForwardsOnlyCiphertext(Site from, Site to) throws Exception {
        Path wire = lab.directory().resolve("relay-wire.pcap");
        Path inner = lab.directory().resolve("inner.pcap");
        Lab.Daemon onWire = lab.startProcess(
                relayNs,
                "tcpdump-relay",
                List.of("tcpdump", "-n", "-U", "-i", "eth0", "-w", wire.toString(), "udp portrange 40001-40004"));
        Lab.Daemon onTunnel = lab.startProcess(
                to.host(), "tcpdump-inner", List.of("tcpdump", "-n", "-U", "-i", to.ifname(), "-w", inner.toString()));
        for (Lab.Daemon capture : List.of(onWire, onTunnel)) {
            Awaitility.await("tcpdump is capturing")
                    .atMost(Timeouts.process())
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> capture.output().contains("listening on"));
        }
        Shell.Result pinged = lab.exec(
                from.host(), "ping", "-6", "-c", "5", "-i", "0.2", "-W", "2", "-s", "64", "-p", PATTERN, to.overlay());
        assertThat(pinged.exitCode()).as(pinged.stdout() + pinged.stderr()).isZero();
        byte[] pattern = HexFormat.of().parseHex(PATTERN);
        Awaitility.await("the capture on the tunnel holds the pings")
                .atMost(Timeouts.process())
                .pollInterval(Duration.ofMillis(50))
                .until(() -> contains(Files.readAllBytes(inner), pattern));
        onWire.close();
        onTunnel.close();

        List<byte[]> payloads = udpPayloads(Files.readAllBytes(wire));
        assertThat(payloads).as("datagrams the relay sent and received").hasSizeGreaterThanOrEqualTo(20);
        long transport = payloads.stream().filter(p -> p[0] == 4).count();
        assertThat(payloads)
                .as("every datagram on the relay's wire is a WireGuard message")
                .allSatisfy(p -> assertThat(p[0]).isBetween((byte) 1, (byte) 4));
        assertThat(transport).as("transport data among them").isGreaterThanOrEqualTo(20);
        for (byte[] payload : payloads) {
            assertThat(contains(payload, pattern))
                    .as("the inner packets' bytes on the relay's wire")
                    .isFalse();
        }
    }

    /**
     * Site {@code name}: a router namespace on the lab's LAN (its "internet" address) and a host
     * namespace behind it on 10.216.{index}.0/24; with {@code byHand}, running wireguard-go with its
     * overlay address (else an agent does).
     */
    private void addSite(String name, boolean randomPorts, int octet, int index, String prefix, boolean byHand) {
        String nat = lab.addNamespace("nat" + name, octet);
        String host = lab.addNamespace("host" + name, 60 + octet);
        String inside = "10.216." + index;
        // The host leaves the LAN: its only way out is through its site's router.
        sh(host, "ip link del eth0");
        sh(
                nat,
                "ip link add in0 type veth peer name eth0 netns " + host
                        + " && ip addr add " + inside + ".1/24 dev in0 && ip link set in0 up"
                        + " && sysctl -q -w net.ipv4.ip_forward=1");
        sh(
                host,
                "ip addr add " + inside + ".2/24 dev eth0 && ip link set eth0 up && ip route add default via " + inside
                        + ".1");
        sh(
                nat,
                "nft -f - <<'EOF'\n"
                        + "table ip nat {\n"
                        + "  chain post { type nat hook postrouting priority 100; oifname \"eth0\" masquerade"
                        + (randomPorts ? " fully-random" : "") + "; }\n"
                        + "}\n"
                        + "table ip filter {\n"
                        // Dropped before conntrack confirms it, an unsolicited datagram leaves no entry that
                        // would take the port the host's own flow is to keep.
                        + "  chain input { type filter hook input priority 0; policy accept;\n"
                        + "    iifname \"eth0\" ct state established,related accept\n"
                        + "    iifname \"eth0\" drop\n"
                        + "  }\n"
                        + "  chain forward { type filter hook forward priority 0; policy drop;\n"
                        + "    ct state established,related accept\n"
                        + "    iifname \"in0\" oifname \"eth0\" accept\n"
                        + "  }\n"
                        + "}\n"
                        + "EOF");

        String ifname = MeshAgents.interfaceName("n" + name);
        if (!byHand) {
            sites.put(
                    name, new Site(name, randomPorts, nat, host, ifname, null, null, null, lab.subnet() + "." + octet));
            return;
        }
        String keyFile = lab.directory().resolve("nat-" + name + ".key").toString();
        Shell.Result generated = Shell.bash("umask 077 && wg genkey >" + keyFile + " && wg pubkey <" + keyFile);
        assertThat(generated.exitCode()).as(generated.stderr()).isZero();
        String overlay = prefix + index;
        lab.startProcess(host, "wg-" + name, List.of("wireguard-go", "-f", ifname));
        sh(
                host,
                "until wg show " + ifname + " >/dev/null 2>&1; do sleep 0.01; done; wg set " + ifname
                        + " private-key " + keyFile + " listen-port " + WG_PORT + " && ip addr add " + overlay
                        + "/64 dev "
                        + ifname + " && ip link set " + ifname + " up");
        sites.put(
                name,
                new Site(
                        name,
                        randomPorts,
                        nat,
                        host,
                        ifname,
                        keyFile,
                        generated.stdout().strip(),
                        overlay,
                        lab.subnet() + "." + octet));
    }

    /** Until every site pings every other's overlay address ({@code address}); {@code context} goes into failures. */
    private void assertAllPairsPing(
            String alias,
            java.util.function.Function<Site, String> address,
            java.util.function.Supplier<String> context) {
        Awaitility.await(alias)
                .atMost(Timeouts.scaled(Duration.ofSeconds(60)))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    for (Site from : sites.values()) {
                        for (Site to : sites.values()) {
                            if (from != to) {
                                assertThat(lab.exec(from.host(), "ping", "-6", "-c", "1", "-W", "1", address.apply(to))
                                                .exitCode())
                                        .as(from.name() + " -> " + to.name() + context.get())
                                        .isZero();
                            }
                        }
                    }
                });
    }

    private void peer(Site on, Site peer, String endpoint) {
        sh(
                on.host(),
                "wg set " + on.ifname() + " peer " + peer.publicKey() + " allowed-ips " + peer.overlay()
                        + "/128 endpoint " + endpoint + " persistent-keepalive 1");
    }

    /** The endpoint {@code on}'s WireGuard has for {@code peer} now (it follows where the peer's packets come from). */
    private String endpointOf(Site on, Site peer) {
        Shell.Result dump = lab.exec(on.host(), "wg", "show", on.ifname(), "endpoints");
        return dump.stdout()
                .lines()
                .filter(line -> line.startsWith(peer.publicKey()))
                .map(line -> line.split("\\s+")[1])
                .findFirst()
                .orElseThrow(() -> new AssertionError(dump.stdout()));
    }

    /** Where the relay last saw each node, from its log ("node KEY is at IP:PORT (relay port N)"). */
    private static Map<String, String> seenByRelay(String log) {
        Map<String, String> seen = new LinkedHashMap<>();
        Matcher m = Pattern.compile("node (\\S+) is at /?([0-9.]+:\\d+) \\(relay port")
                .matcher(log);
        while (m.find()) {
            seen.put(m.group(1), m.group(2));
        }
        return seen;
    }

    private void sh(String ns, String script) {
        Shell.Result result = lab.exec(ns, "sh", "-c", script);
        assertThat(result.exitCode())
                .as(script + ": " + result.stdout() + result.stderr())
                .isZero();
    }

    private static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The UDP payloads of a pcap file of Ethernet frames carrying IPv4 (what tcpdump -w writes here). */
    private static List<byte[]> udpPayloads(byte[] pcap) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(0) != 0xa1b2c3d4) {
            throw new IOException("not a little-endian microsecond pcap file");
        }
        List<byte[]> payloads = new ArrayList<>();
        int at = 24;
        while (at + 16 <= pcap.length) {
            int captured = in.getInt(at + 8);
            int frame = at + 16;
            int ip = frame + 14;
            int headerLength = (pcap[ip] & 0x0f) * 4;
            int udp = ip + headerLength;
            int length = (((pcap[udp + 4] & 0xff) << 8) | (pcap[udp + 5] & 0xff)) - 8;
            byte[] payload = new byte[Math.min(length, frame + captured - udp - 8)];
            System.arraycopy(pcap, udp + 8, payload, 0, payload.length);
            payloads.add(payload);
            at = frame + captured;
        }
        return payloads;
    }
}
