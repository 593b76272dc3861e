package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.distributor.mesh.MeshCommand;
import io.clusterplatform.provisioner.server.lab.NatSites.Site;
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
 * <p>By hand first: A and B reach each other directly, each given the other's public mapping (hole
 * punching: both send, each NAT lets the other's answer in); pairs with C go through the relay, one
 * relay port per node and pair. The relay learns where each node's datagrams come from, which shows
 * the two kinds of NAT (A's port kept, C's replaced), and a capture on the relay shows that what it
 * forwards is WireGuard's encrypted transport data, not the inner packets. Then the same with the
 * server, two relays and the agents, which do all of it themselves.
 */
class MeshNatLabTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int WG_PORT = NatSites.WG_PORT;
    /** 16 bytes the pings carry: in the inner packets, never on the relay's wire. */
    private static final String PATTERN = "5ca1ab1e0ddba11c0ffee15900d1dea5";

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
        addSite("a", false, 31, 1, prefix);
        addSite("b", false, 32, 2, prefix);
        addSite("c", true, 33, 3, prefix);
        relayNs = lab.addNamespace("relay", 40);
        relayIp = lab.subnet() + ".40";
        Site a = sites.get("a");
        Site b = sites.get("b");
        Site c = sites.get("c");

        Lab.Daemon relay = lab.startProcess(
                relayNs,
                "relay",
                NatSites.java(
                        RelayProcess.class,
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
     * The same sites with the server and its agents, and an operator's laptop behind a fourth NAT
     * (port-keeping, as most): the server on the lab's router, two relays ({@code provisioner mesh
     * relay}) on the "internet", the Java agent on A and B ({@code mesh join}) and on the laptop ({@code
     * mesh bridge}), the shell agent on C; none has an endpoint. Every pair pings through the first
     * relay; the relay reports where it saw each node, the server hands the nodes behind port-keeping
     * NATs each other's mappings, and their agents punch through to direct paths. Pairs with C stay
     * relayed. SSH from the laptop to C goes over the relay. The first relay killed: the pairs with C
     * go through the second within 10 s, the direct ones stay direct. Direct UDP between A's and B's
     * NATs blocked: A and B go back to the relay within 10 s; unblocked: direct again.
     */
    @Test
    void agentsBehindNatGoDirectWhereTheNatsAllowThroughTheRelayElsewhereAndBackWhenDirectBreaks() throws Exception {
        addSite("a", false, 31, 1, null);
        addSite("b", false, 32, 2, null);
        addSite("c", true, 33, 3, null);
        addSite("d", false, 34, 4, null);
        relayNs = lab.addNamespace("relay", 40);
        relayIp = lab.subnet() + ".40";
        ThrowawayDirectory data = ThrowawayDirectory.create("provisioner-nat-lab-");
        ServerProcess server = ServerProcess.startOnRouter(lab, data.path());
        List<MeshAgents.Member> agents = new ArrayList<>();
        try {
            Api api = server.api().asOperator();
            String network = "nat-" + ProcessHandle.current().pid();
            assertThat(api.post("/api/mesh/networks", Json.body(Map.of("networkId", network)))
                            .status())
                    .isEqualTo(201);
            String relayToken = joinToken(api, network, "relay", 1);
            String nodeToken = joinToken(api, network, "auto", 3);
            String bridgeToken = joinToken(api, network, "bridge", 1);
            String relay2Token = joinToken(api, network, "relay", 1);

            Lab.Daemon relay =
                    NatSites.meshRelay(lab, relayNs, "relay", lab.serverUrl(), relayToken, relayIp + ":40000");
            String relay2Ns = lab.addNamespace("relay2", 41);
            String relay2Ip = lab.subnet() + ".41";
            NatSites.meshRelay(lab, relay2Ns, "relay2", lab.serverUrl(), relay2Token, relay2Ip + ":41000");
            long start = System.nanoTime();
            for (Site site : sites.values()) {
                agents.add(
                        switch (site.name()) {
                            case "c" ->
                                MeshAgents.shellAgent(
                                        lab,
                                        "host" + site.name(),
                                        site.host(),
                                        null,
                                        site.ifname(),
                                        lab.serverUrl(),
                                        nodeToken);
                            case "d" ->
                                MeshAgents.javaAgent(
                                        lab,
                                        "laptop",
                                        site.host(),
                                        null,
                                        site.ifname(),
                                        lab.serverUrl(),
                                        "bridge",
                                        bridgeToken,
                                        false);
                            default ->
                                MeshAgents.javaAgent(
                                        lab,
                                        "host" + site.name(),
                                        site.host(),
                                        null,
                                        site.ifname(),
                                        lab.serverUrl(),
                                        "join",
                                        nodeToken,
                                        false);
                        });
            }
            Map<String, String> overlay = new LinkedHashMap<>();
            Map<String, String> keys = new LinkedHashMap<>();
            Awaitility.await("the two relays and four nodes joined")
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
                        rows.forEach(row -> {
                            overlay.put(
                                    row.get("hostname").asText(),
                                    row.get("address").asText());
                            keys.put(
                                    row.get("hostname").asText(),
                                    row.get("publicKey").asText());
                        });
                        return overlay.size() == 6;
                    });
            java.util.function.Function<Site, String> hostname =
                    site -> site.name().equals("d") ? "laptop" : "host" + site.name();
            java.util.function.Function<Site, String> address = site -> overlay.get(hostname.apply(site));
            for (Site site : List.copyOf(sites.values())) {
                sites.put(site.name(), site.withKey(keys.get(hostname.apply(site))));
            }
            Site a = sites.get("a");
            Site b = sites.get("b");
            Site c = sites.get("c");
            Site laptop = sites.get("d");

            assertAllPairsPing(
                    "all six pairs ping each other's overlay address", address, () -> "; relay: " + relay.output());
            System.out.printf(
                    "NAT lab with agents: 12 pings answered %d ms after the agents started%n",
                    (System.nanoTime() - start) / 1_000_000);

            String aAtNat = a.publicIp() + ":" + WG_PORT;
            String bAtNat = b.publicIp() + ":" + WG_PORT;
            Awaitility.await("a and b punch through to each other's NAT")
                    .atMost(Timeouts.scaled(Duration.ofSeconds(60)))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        assertThat(endpointOf(a, b))
                                .as(agents.get(0).agent().output())
                                .isEqualTo(bAtNat);
                        assertThat(endpointOf(b, a)).isEqualTo(aAtNat);
                        assertThat(endpointOf(laptop, a)).isEqualTo(aAtNat);
                    });
            System.out.printf(
                    "NAT lab with agents: a <-> b direct %d ms after the agents started%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertThat(endpointOf(a, c))
                    .as("c's NAT maps per destination: relayed")
                    .matches(Pattern.quote(relayIp) + ":400\\d\\d");
            assertThat(endpointOf(laptop, c)).matches(Pattern.quote(relayIp) + ":400\\d\\d");
            assertPings(a, b, address);
            assertThat(agents.get(2).agent().output())
                    .as("the shell agent says what it does not do")
                    .contains("it does not try direct paths");

            // Seen, not guessed: the API shows each pair's path, and mesh status on a.
            Awaitility.await("a's report shows its paths")
                    .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        JsonNode row = api.get("/api/mesh/networks/" + network + "/nodes?search=hosta"
                                        + "&searchFields=hostname")
                                .json()
                                .get("rows")
                                .get(0);
                        Map<String, JsonNode> paths = new LinkedHashMap<>();
                        row.get("paths")
                                .forEach(p -> paths.put(p.get("hostname").asText(), p));
                        assertThat(paths.get("hostb").get("path").asText())
                                .as(row.toString())
                                .isEqualTo("direct");
                        assertThat(paths.get("hostb").get("endpoint").asText()).isEqualTo(bAtNat);
                        assertThat(paths.get("hostb").get("rttMillis").asDouble())
                                .isPositive();
                        assertThat(paths.get("hostc").get("path").asText()).isEqualTo("relayed");
                        assertThat(paths.get("hostc").get("viaRelayHostname").asText())
                                .isEqualTo("relay");
                    });
            // The Java agents measure both relays through their NATs (the nearest carries their pairs).
            Awaitility.await("a measured both relays")
                    .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        long aId = api.get(
                                        "/api/mesh/networks/" + network + "/nodes?search=hosta&searchFields=hostname")
                                .json()
                                .get("rows")
                                .get(0)
                                .get("nodeId")
                                .asLong();
                        JsonNode measured = api.get("/api/mesh/networks/" + network + "/nodes/" + aId)
                                .json()
                                .get("relays");
                        assertThat(measured).as(measured.toString()).hasSize(2);
                        for (JsonNode r : measured) {
                            assertThat(r.get("rttMillis").asDouble())
                                    .as(r.toString())
                                    .isPositive()
                                    .isLessThan(1_000);
                        }
                    });
            List<String> statusCommand = NatSites.java(
                    MeshCommand.class,
                    "status",
                    "--state-dir",
                    agents.get(0).stateDir().toString());
            Shell.Result status = lab.exec(a.host(), statusCommand.toArray(String[]::new));
            assertThat(status.exitCode()).as(status.stdout() + status.stderr()).isZero();
            assertThat(status.stdout())
                    .containsPattern("hostb\\s+direct\\s+" + Pattern.quote(bAtNat))
                    .containsPattern("hostc\\s+relayed\\s+" + Pattern.quote(relayIp));

            assertSshCarriesData(laptop, c, address.apply(c));

            // The first relay dies: its pairs move to the second within 10 s.
            relay.close();
            long killed = System.nanoTime();
            Awaitility.await("the pairs with c move to the second relay")
                    .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        assertThat(endpointOf(a, c)).matches(Pattern.quote(relay2Ip) + ":410\\d\\d");
                        assertThat(MeshAgents.ping(lab, a.host(), address.apply(c)))
                                .as("a (Java agent) pings c (shell agent)")
                                .isTrue();
                        assertThat(MeshAgents.ping(lab, c.host(), address.apply(laptop)))
                                .as("c pings the laptop")
                                .isTrue();
                    });
            System.out.printf(
                    "NAT lab with agents: first relay killed, pairs with c through the second after %d ms%n",
                    (System.nanoTime() - killed) / 1_000_000);

            assertThat(endpointOf(a, b))
                    .as("a and b stayed direct while relays changed")
                    .isEqualTo(bAtNat);

            // Direct UDP between a's and b's NATs blocked: back to the relay within 10 s.
            sh(
                    a.nat(),
                    "nft -f - <<'EOF'\n"
                            + "table ip block {\n  chain forward { type filter hook forward priority -10;"
                            + " ip daddr " + b.publicIp() + " drop; ip saddr " + b.publicIp() + " drop; }\n}\n"
                            + "EOF");
            long blocked = System.nanoTime();
            Awaitility.await("a and b go back to the relay")
                    .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        assertThat(endpointOf(a, b)).matches(Pattern.quote(relay2Ip) + ":410\\d\\d");
                        assertThat(MeshAgents.ping(lab, a.host(), address.apply(b)))
                                .as("a pings b")
                                .isTrue();
                    });
            System.out.printf(
                    "NAT lab with agents: direct path blocked, a -> b relayed again after %d ms%n",
                    (System.nanoTime() - blocked) / 1_000_000);
            sh(a.nat(), "nft delete table ip block");
            long unblocked = System.nanoTime();
            Awaitility.await("a and b go direct again")
                    .atMost(Timeouts.scaled(Duration.ofSeconds(120)))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        assertThat(endpointOf(a, b)).isEqualTo(bAtNat);
                        assertThat(endpointOf(b, a)).isEqualTo(aAtNat);
                    });
            System.out.printf(
                    "NAT lab with agents: unblocked, a <-> b direct again after %d ms%n",
                    (System.nanoTime() - unblocked) / 1_000_000);
            assertPings(a, b, address);
        } finally {
            for (MeshAgents.Member m : agents) {
                m.agent().close();
            }
            server.close();
            data.close();
        }
    }

    /** Pings from {@code from} to {@code to} until one is answered (a try of a direct path may drop a few). */
    private void assertPings(Site from, Site to, java.util.function.Function<Site, String> address) {
        Awaitility.await(from.name() + " pings " + to.name())
                .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> MeshAgents.ping(lab, from.host(), address.apply(to)));
    }

    /**
     * Starts dropbear on {@code to}'s host (root lets in the key made here), then from {@code from}
     * runs {@code ssh root@<overlay> head -c 1048576 /dev/zero}: a MiB comes back over the overlay.
     */
    private void assertSshCarriesData(Site from, Site to, String overlayAddress) throws Exception {
        Path dir = lab.directory().resolve("ssh-" + to.name());
        Path home = dir.resolve("root");
        Files.createDirectories(home.resolve(".ssh"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(
                home.resolve(".ssh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path key = dir.resolve("id_ed25519");
        Shell.Result made = Shell.bash("ssh-keygen -q -t ed25519 -N '' -f " + key + " && dropbearkey -t ed25519 -f "
                + dir.resolve("hostkey") + " >/dev/null && cp " + key + ".pub " + home.resolve(".ssh/authorized_keys")
                + " && chmod 600 " + home.resolve(".ssh/authorized_keys"));
        assertThat(made.exitCode()).as(made.stderr()).isZero();
        Lab.Daemon dropbear = lab.startProcess(
                to.host(),
                "dropbear-" + to.name(),
                List.of(
                        "sh",
                        "-c",
                        "mount --bind \"$1\" /root && exec /usr/sbin/dropbear -F -E -s -p 22 -r \"$2\" -P \"$3\"",
                        "dropbear",
                        home.toString(),
                        dir.resolve("hostkey").toString(),
                        dir.resolve("dropbear.pid").toString()));
        Awaitility.await("dropbear listens")
                .atMost(Timeouts.process())
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    assertThat(dropbear.isAlive()).as(dropbear.output()).isTrue();
                    return dropbear.output().contains("Not backgrounding");
                });
        // 1372 bytes of ICMP payload: a 1420-byte packet, as large as the interface's MTU lets through.
        Shell.Result full = lab.exec(from.host(), "ping", "-6", "-c", "1", "-W", "2", "-s", "1372", overlayAddress);
        assertThat(full.exitCode())
                .as("a packet of the interface's MTU crosses the relay: " + full.stdout())
                .isZero();
        Shell.Result ssh = lab.exec(
                from.host(),
                "sh",
                "-c",
                "timeout 40 ssh -F /dev/null -i " + key + " -o BatchMode=yes -o StrictHostKeyChecking=no"
                        + " -o UserKnownHostsFile=/dev/null -o ConnectTimeout=20 root@" + overlayAddress
                        + " head -c 1048576 /dev/zero </dev/null | wc -c");
        assertThat(ssh.exitCode()).as(ssh.stdout() + ssh.stderr()).isZero();
        assertThat(ssh.stdout().strip())
                .as("bytes that came back over SSH through the relay")
                .isEqualTo("1048576");
        dropbear.close();
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

    /** Site {@code name}, with wireguard-go set up by hand when {@code overlayPrefix} is given, else for an agent. */
    private void addSite(String name, boolean randomPorts, int octet, int index, String overlayPrefix) {
        sites.put(name, NatSites.add(lab, name, randomPorts, octet, index, overlayPrefix));
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
        NatSites.peer(lab, on, peer, endpoint);
    }

    private String endpointOf(Site on, Site peer) {
        return NatSites.endpointOf(lab, on, peer);
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
        NatSites.sh(lab, ns, script);
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
