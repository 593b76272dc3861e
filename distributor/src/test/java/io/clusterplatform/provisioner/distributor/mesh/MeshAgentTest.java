package io.clusterplatform.provisioner.distributor.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshAgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "A".repeat(42) + "A=";
    private static final String B = "B".repeat(42) + "A=";
    private static final String C = "C".repeat(42) + "A=";

    /** Records what the agent asks of WireGuard. */
    static final class RecordingWireguard implements Wireguard {
        final List<String> calls = new ArrayList<>();

        @Override
        public void up(String ifname, Path privateKeyFile, int listenPort, List<String> addresses) {
            calls.add("up " + ifname + " " + listenPort + " " + addresses);
        }

        @Override
        public boolean alive(String ifname) {
            return true;
        }

        @Override
        public void setPeer(String ifname, MeshPeer peer, int keepaliveSeconds) {
            calls.add("set " + peer.publicKey().charAt(0) + " " + peer.allowedIps() + " " + peer.endpoint());
        }

        @Override
        public void removePeer(String ifname, String publicKey) {
            calls.add("remove " + publicKey.charAt(0));
        }

        @Override
        public String dump(String ifname) {
            return "";
        }

        @Override
        public void down(String ifname) {
            calls.add("down " + ifname);
        }
    }

    /** The agent's state directory: it writes paths.json there. */
    @TempDir
    Path stateDir;

    private MeshAgent agent(RecordingWireguard wg) {
        MeshState state = new MeshState(
                "http://server",
                1,
                "net",
                "self",
                "worker",
                "cpn_x",
                "fd00::1",
                "10.9.0.1",
                "fd00::/64",
                "10.9.0.0/24",
                "wgtest0",
                51820,
                null);
        return new MeshAgent(
                new MeshClient(URI.create("http://server"), JSON),
                wg,
                state,
                stateDir.resolve("k"),
                JSON,
                Duration.ofSeconds(5));
    }

    private static String peer(long id, String key, String endpoint) {
        return "{\"nodeId\":" + id + ",\"hostname\":\"n" + id + "\",\"publicKey\":\"" + key + "\",\"endpoint\":"
                + (endpoint == null ? "null" : "\"" + endpoint + "\"") + ",\"allowedIps\":[\"fd00::" + id + "/128\"]}";
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void interfaceGetsTheSubnetsPrefixLengths() throws IOException {
        RecordingWireguard wg = new RecordingWireguard();
        agent(wg).up();
        assertThat(wg.calls).containsExactly("up wgtest0 51820 [fd00::1/64, 10.9.0.1/24]");
    }

    @Test
    void deltasTouchOnlyThePeersThatChanged() throws IOException {
        RecordingWireguard wg = new RecordingWireguard();
        MeshAgent agent = agent(wg);
        long version = agent.apply(json("{\"version\":3,\"full\":true,\"peers\":[" + peer(2, A, "10.0.0.2:51820") + ","
                + peer(3, B, null) + "]}"));
        assertThat(version).isEqualTo(3);
        assertThat(wg.calls).containsExactly("set A [fd00::2/128] 10.0.0.2:51820", "set B [fd00::3/128] null");

        wg.calls.clear();
        agent.apply(json("{\"version\":5,\"full\":false,\"added\":[" + peer(4, C, "10.0.0.4:51820") + "],\"updated\":["
                + peer(3, B, "10.0.0.3:51820") + "],\"removed\":[2]}"));
        assertThat(wg.calls)
                .containsExactly(
                        "remove A", "set C [fd00::4/128] 10.0.0.4:51820", "set B [fd00::3/128] 10.0.0.3:51820");

        wg.calls.clear();
        agent.apply(json("{\"version\":6,\"full\":true,\"peers\":[" + peer(3, B, "10.0.0.3:51820") + ","
                + peer(4, C, "10.0.0.4:51820") + "]}"));
        assertThat(wg.calls)
                .as("a full map equal to what is applied changes nothing")
                .isEmpty();

        agent.apply(json("{\"version\":7,\"full\":true,\"peers\":[" + peer(4, C, "10.0.0.4:51820") + "]}"));
        assertThat(wg.calls).containsExactly("remove B");
        assertThat(agent.applied()).containsOnlyKeys(4L);
    }

    @Test
    void aRelayedPeerWithACandidateStartsAtTheRelayAndMovesWithItAsANewPeer() throws IOException {
        RecordingWireguard wg = new RecordingWireguard();
        MeshAgent agent = agent(wg);
        agent.apply(json("{\"version\":1,\"full\":true,\"peers\":[" + relayed(2, A, "198.51.100.9:40001") + "]}"));
        assertThat(wg.calls).containsExactly("set A [fd00::2/128] 198.51.100.9:40001");
        assertThat(agent.pathStates())
                .containsEntry(2L, io.clusterplatform.provisioner.core.mesh.DirectPath.State.RELAYED);
        assertThat(JSON.readTree(stateDir.resolve(MeshAgent.PATHS_FILE).toFile())
                        .get(0)
                        .get("state")
                        .asText())
                .as("mesh status reads the paths from the state directory")
                .isEqualTo("relayed");

        wg.calls.clear();
        agent.apply(json("{\"version\":2,\"full\":false,\"updated\":[" + relayed(2, A, "198.51.100.10:41001")
                + "],\"added\":[],\"removed\":[]}"));
        assertThat(wg.calls)
                .as("another relay: the peer is set anew, so a handshake goes through it at once")
                .containsExactly("remove A", "set A [fd00::2/128] 198.51.100.10:41001");
    }

    private static String relayed(long id, String key, String relayPort) {
        return peer(id, key, relayPort).replace("}", ",\"relayed\":true,\"candidate\":\"192.0.2.7:51820\"}");
    }

    @Test
    void wgDumpGivesPeersAndHandshakes() {
        WgDump dump = WgDump.parse("cHJpdg==\t" + A + "\t51820\toff\n"
                + B + "\t(none)\t10.0.0.3:51820\tfd00::3/128\t1700000000\t1200\t3400\t25\n"
                + C + "\t(none)\t(none)\tfd00::4/128\t0\t0\t0\toff\n");
        assertThat(dump.publicKey()).isEqualTo(A);
        assertThat(dump.listenPort()).isEqualTo(51820);
        assertThat(dump.peers())
                .containsExactly(
                        new WgDump.Peer(B, "10.0.0.3:51820", "fd00::3/128", 1700000000, 1200, 3400),
                        new WgDump.Peer(C, null, "fd00::4/128", 0, 0, 0));
    }

    @Test
    void keysAreTheOnesWgComputes(@TempDir Path dir) throws Exception {
        String privateKey = X25519Keys.privateKey(dir);
        assertThat(Files.getPosixFilePermissions(dir.resolve("private.key")))
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(X25519Keys.privateKey(dir)).isEqualTo(privateKey);
        assertThat(privateKey).hasSize(44);
        String wg = WgTools.program("wg");
        assumeThat(Files.isExecutable(Path.of(wg)))
                .as("wg (wireguard-tools) installed")
                .isTrue();
        Process pubkey = new ProcessBuilder(wg, "pubkey").start();
        pubkey.getOutputStream().write((privateKey + "\n").getBytes());
        pubkey.getOutputStream().close();
        String expected = new String(pubkey.getInputStream().readAllBytes()).strip();
        assertThat(pubkey.waitFor()).isZero();
        assertThat(X25519Keys.publicKey(privateKey)).isEqualTo(expected);
    }

    @Test
    void statusShowsHandshakeAges() {
        java.time.Instant now = java.time.Instant.ofEpochSecond(1_700_000_100);
        assertThat(MeshStatusCommand.age(now, 0)).isEqualTo("never");
        assertThat(MeshStatusCommand.age(now, 1_700_000_000)).isEqualTo("100 s ago");
        assertThat(MeshStatusCommand.age(now, 1_699_999_000)).isEqualTo("18 min ago");
        assertThat(MeshStatusCommand.age(now, 1_699_990_000)).isEqualTo("2 h ago");
    }
}
