package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.distributor.mesh.MeshCommand;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.MeshAgents;
import io.clusterplatform.provisioner.server.testing.MeshAgents.Member;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh end to end in network namespaces, with wireguard-go (this machine's kernel has no
 * WireGuard): the server in the lab's router namespace, three hosts and one operator's machine on the
 * LAN, each running the node agent with an interface name of its own (wireguard-go's control sockets
 * in /var/run/wireguard are shared by all namespaces). The overlay is a random ULA /48 that exists only
 * inside these namespaces.
 */
class MeshLabTest {
    private static final Duration REMOVAL = Duration.ofSeconds(2);

    private Lab lab;
    private ThrowawayDirectory data;
    private ServerProcess server;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();

    @BeforeEach
    void startLab() {
        lab = Lab.start();
        data = ThrowawayDirectory.create("provisioner-mesh-lab-");
        server = ServerProcess.startOnRouter(lab, data.path());
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            for (Member m : members.values()) {
                m.agent().close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                lab.close();
            } finally {
                data.close();
                for (Member m : members.values()) {
                    MeshAgents.deleteControlSocket(m.ifname());
                }
            }
        }
    }

    private Api api() {
        return server.api().asOperator();
    }

    @Test
    void hostsAndABridgeReachEachOtherLoseARemovedNodeAndKeepTunnelsWithoutTheServer() throws IOException {
        String network = "lab-" + ProcessHandle.current().pid();
        Api.Response created = api().post("/api/mesh/networks", Json.body(Map.of("networkId", network)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String hostToken = token(network, Json.body(Map.of("role", "auto", "uses", 3, "name", "lab hosts")));
        String bridgeToken = token(network, Json.body(Map.of("role", "bridge", "name", "operator")));

        // host1 and host2 run the shell agent the server hands out, host3 the Java one, op the bridge.
        joinWithShellAgent("host1", 11, hostToken);
        joinWithShellAgent("host2", 12, hostToken);
        join("host3", 13, "join", hostToken, true);
        join("op", 20, "bridge", bridgeToken, false);

        Awaitility.await("all four nodes joined")
                .atMost(Timeouts.startup())
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertAgentsAlive();
                    JsonNode rows = api().get("/api/mesh/networks/" + network + "/nodes?pageSize=100")
                            .json()
                            .get("rows");
                    rows.forEach(row -> addresses.put(
                            row.get("hostname").asText(), row.get("address").asText()));
                    return addresses.size() == 4;
                });
        assertThat(nodeRole(network, "op")).isEqualTo("bridge");

        long start = System.nanoTime();
        Awaitility.await("every machine pings every other's overlay address")
                .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertAllPing(List.copyOf(members.keySet())));
        System.out.printf("mesh of 4 up, all 12 pings answered after %d ms%n", (System.nanoTime() - start) / 1_000_000);

        String status = meshStatus("host3");
        assertThat(status).contains("interface " + members.get("host3").ifname());
        assertThat(status).contains("node ").contains("host3").contains(addresses.get("host3"));
        assertThat(status.lines().filter(l -> l.contains("s ago")).count())
                .as(status)
                .isEqualTo(3);

        // Removal: every other node drops host3's peer within 2 s, and pings to it fail.
        long host3 = nodeId(network, "host3");
        String host3Key = publicKey(network, "host3");
        long removedAt = System.nanoTime();
        assertThat(api().delete("/api/mesh/networks/" + network + "/nodes/" + host3)
                        .status())
                .isEqualTo(204);
        List<String> rest = List.of("host1", "host2", "op");
        Awaitility.await("host3's peer gone from every other interface")
                .atMost(REMOVAL)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> rest.stream().noneMatch(name -> wgPeers(name).contains(host3Key)));
        System.out.printf("host3 removed from every peer after %d ms%n", (System.nanoTime() - removedAt) / 1_000_000);
        for (String name : rest) {
            assertThat(ping(name, "host3"))
                    .as(name + " -> host3 after its removal")
                    .isFalse();
        }
        assertAllPing(rest);
        Awaitility.await("host3's agent stops: its node was removed")
                .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
                .until(() -> !members.get("host3").agent().isAlive());
        assertThat(members.get("host3").agent().output()).contains("was removed");

        // The server goes away: the tunnels stay.
        server.kill();
        server = null;
        Awaitility.await("the agents notice the server is gone")
                .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                .until(() -> rest.stream()
                        .allMatch(name -> members.get(name).agent().output().contains("unreachable")));
        assertAllPing(rest);
        for (String name : rest) {
            assertThat(members.get(name).agent().isAlive())
                    .as(name + "'s agent")
                    .isTrue();
        }
    }

    private String token(String network, String body) {
        Api.Response created = api().post("/api/mesh/networks/" + network + "/tokens", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    /** A namespace on the LAN with the agent in it; the bridge gives no endpoint (as if behind NAT). */
    private void join(String name, int octet, String command, String token, boolean withEndpoint) {
        String ns = lab.addNamespace(name, octet);
        members.put(
                name,
                MeshAgents.javaAgent(
                        lab,
                        name,
                        ns,
                        lab.subnet() + "." + octet,
                        ifname(name),
                        lab.serverUrl(),
                        command,
                        token,
                        withEndpoint));
    }

    /** As a postbootscript would: {@code curl -s <server>/mesh/agent.sh | sh -s -- --token ...}. */
    private void joinWithShellAgent(String name, int octet, String token) {
        String ns = lab.addNamespace(name, octet);
        members.put(
                name,
                MeshAgents.shellAgent(lab, name, ns, lab.subnet() + "." + octet, ifname(name), lab.serverUrl(), token));
    }

    private static String ifname(String name) {
        return MeshAgents.interfaceName(name.substring(name.length() - 1));
    }

    private void assertAgentsAlive() {
        for (Member m : members.values()) {
            if (!m.agent().isAlive()) {
                throw new AssertionError(
                        m.name() + "'s agent exited: " + m.agent().output());
            }
        }
    }

    private void assertAllPing(List<String> names) {
        List<String> failed = new ArrayList<>();
        for (String from : names) {
            for (String to : names) {
                if (!from.equals(to) && !ping(from, to)) {
                    failed.add(from + " -> " + to);
                }
            }
        }
        assertThat(failed).as("pings that got no answer").isEmpty();
    }

    private boolean ping(String from, String to) {
        return MeshAgents.ping(lab, members.get(from).namespace(), addresses.get(to));
    }

    private String wgPeers(String name) {
        Member m = members.get(name);
        return lab.exec(m.namespace(), "wg", "show", m.ifname(), "peers").stdout();
    }

    private String meshStatus(String name) {
        Member m = members.get(name);
        Shell.Result result = lab.exec(
                m.namespace(),
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                MeshCommand.class.getName(),
                "status",
                "--state-dir",
                m.stateDir().toString());
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        return result.stdout();
    }

    private JsonNode node(String network, String hostname) {
        for (JsonNode row : api().get("/api/mesh/networks/" + network + "/nodes?pageSize=100")
                .json()
                .get("rows")) {
            if (row.get("hostname").asText().equals(hostname)) {
                return row;
            }
        }
        throw new AssertionError("no node " + hostname + " in " + network);
    }

    private long nodeId(String network, String hostname) {
        return node(network, hostname).get("nodeId").asLong();
    }

    private String publicKey(String network, String hostname) {
        return node(network, hostname).get("publicKey").asText();
    }

    private String nodeRole(String network, String hostname) {
        return node(network, hostname).get("role").asText();
    }
}
