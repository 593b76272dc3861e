package io.clusterplatform.provisioner.distributor.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.mesh.RelayProbe;
import io.clusterplatform.provisioner.core.mesh.WireguardMessages;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's forwarding rules over real UDP on loopback, with handshake messages whose mac1 is made
 * as WireGuard makes it (real wireguard-go through real NAT: MeshNatLabTest in the server module).
 */
class RelayForwarderTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final String keyA = key();
    private final String keyB = key();
    private RelayForwarder relay;
    private RelayForwarder.Pair pair;
    private DatagramSocket a;
    private DatagramSocket b;
    private DatagramSocket stranger;

    @BeforeEach
    void start() throws Exception {
        int portA;
        int portB;
        try (DatagramSocket one = new DatagramSocket(0, LOOPBACK);
                DatagramSocket two = new DatagramSocket(0, LOOPBACK)) {
            portA = one.getLocalPort();
            portB = two.getLocalPort();
        }
        relay = new RelayForwarder(LOOPBACK);
        pair = new RelayForwarder.Pair(portA, keyA, portB, keyB);
        relay.add(pair);
        a = socket();
        b = socket();
        stranger = socket();
    }

    @AfterEach
    void stop() {
        relay.close();
        a.close();
        b.close();
        stranger.close();
    }

    @Test
    void aPairTalksOnceEachSideHasSentAHandshakeForTheOther() throws Exception {
        send(a, pair.portA(), transport(64)); // before a sent a handshake: dropped
        // b has not reached the relay yet: nowhere to send it (dropped), but a's side is learnt
        send(a, pair.portA(), handshake(WireguardMessages.Type.HANDSHAKE_INITIATION, keyB));
        awaitDropped(2); // the relay works on its own: a's side is learnt before b sends

        byte[] response = handshake(WireguardMessages.Type.HANDSHAKE_RESPONSE, keyA);
        send(b, pair.portB(), response);
        DatagramPacket atA = receive(a);
        assertThat(Arrays.copyOf(atA.getData(), atA.getLength())).isEqualTo(response);
        assertThat(atA.getPort()).as("a sees b at the relay's port for a").isEqualTo(pair.portA());

        byte[] data = transport(1440);
        send(a, pair.portA(), data);
        DatagramPacket atB = receive(b);
        assertThat(Arrays.copyOf(atB.getData(), atB.getLength()))
                .as("the first datagram b gets (one port's datagrams are forwarded in order)")
                .isEqualTo(data);
        assertThat(atB.getPort()).as("b sees a at the relay's port for b").isEqualTo(pair.portB());

        assertThat(relay.counters(pair).orElseThrow().forwarded()).isEqualTo(2);
        assertThat(relay.counters(pair).orElseThrow().dropped()).isEqualTo(2);
        assertThat(relay.counters(pair).orElseThrow().bytes()).isEqualTo(response.length + data.length);
    }

    @Test
    void onlyAHandshakeMadeForThePeersKeyMovesASide() throws Exception {
        send(a, pair.portA(), handshake(WireguardMessages.Type.HANDSHAKE_INITIATION, keyB));
        awaitDropped(1);
        send(b, pair.portB(), handshake(WireguardMessages.Type.HANDSHAKE_RESPONSE, keyA));
        receive(a);

        // A stranger who does not know b's public key claims a's port: with a's own key, with a
        // random one, with transport data. None of it reaches b, and b's traffic still goes to a.
        send(stranger, pair.portA(), handshake(WireguardMessages.Type.HANDSHAKE_INITIATION, keyA));
        send(stranger, pair.portA(), handshake(WireguardMessages.Type.HANDSHAKE_INITIATION, key()));
        send(stranger, pair.portA(), transport(64));
        send(stranger, pair.portA(), "not wireguard at all, 32 bytes.".getBytes());
        byte[] fromA = transport(96);
        send(a, pair.portA(), fromA);
        assertThat(Arrays.copyOf(receive(b).getData(), fromA.length))
                .as("the first datagram b gets after the stranger's four")
                .isEqualTo(fromA);
        assertThat(relay.counters(pair).orElseThrow().dropped())
                .as("a's first handshake (b was not there yet) and the stranger's four")
                .isEqualTo(5);
        byte[] data = transport(128);
        send(b, pair.portB(), data);
        assertThat(Arrays.copyOf(receive(a).getData(), data.length))
                .as("b's traffic still goes to a")
                .isEqualTo(data);

        // Who knows b's key (a node that moved, a NAT that gave it a new port) moves a's side.
        DatagramSocket moved = socket();
        try {
            send(moved, pair.portA(), handshake(WireguardMessages.Type.HANDSHAKE_INITIATION, keyB));
            receive(b);
            send(b, pair.portB(), data);
            assertThat(Arrays.copyOf(receive(moved).getData(), data.length)).isEqualTo(data);
        } finally {
            moved.close();
        }
    }

    @Test
    void aRemovedPairFreesItsPorts() throws Exception {
        relay.remove(pair);
        assertThat(relay.counters(pair)).isEmpty();
        try (DatagramSocket reuse = new DatagramSocket(pair.portA(), LOOPBACK)) {
            assertThat(reuse.getLocalPort()).isEqualTo(pair.portA());
        }
    }

    private static String key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A handshake message of {@code type} for {@code responderKey}, its mac1 made as WireGuard does. */
    private static byte[] handshake(WireguardMessages.Type type, String responderKey) {
        int length = type == WireguardMessages.Type.HANDSHAKE_INITIATION ? 148 : 92;
        byte[] data = new byte[length];
        RANDOM.nextBytes(data);
        data[0] = (byte) (type == WireguardMessages.Type.HANDSHAKE_INITIATION ? 1 : 2);
        data[1] = data[2] = data[3] = 0;
        int offset = WireguardMessages.mac1Offset(type);
        System.arraycopy(
                WireguardMessages.mac1(WireguardMessages.mac1Key(responderKey), data, offset), 0, data, offset, 16);
        return data;
    }

    private static byte[] transport(int length) {
        byte[] data = new byte[length];
        RANDOM.nextBytes(data);
        data[0] = 4;
        data[1] = data[2] = data[3] = 0;
        return data;
    }

    private static DatagramSocket socket() throws Exception {
        DatagramSocket socket = new DatagramSocket(0, LOOPBACK);
        socket.setSoTimeout(2_000);
        return socket;
    }

    /**
     * The probe port answers probes with the probe itself (no bigger), and nothing else; the agent's
     * measurement gets a round trip from it and none from a port that does not answer.
     */
    @Test
    void theProbePortAnswersProbesAndOnlyProbes() throws Exception {
        int port;
        int silent;
        try (DatagramSocket one = new DatagramSocket(0, LOOPBACK);
                DatagramSocket two = new DatagramSocket(0, LOOPBACK)) {
            port = one.getLocalPort();
            silent = two.getLocalPort();
        }
        relay.answerProbes(port);
        send(stranger, port, transport(64));
        send(stranger, port, java.util.Arrays.copyOf(RelayProbe.probe(5), 17));
        byte[] probe = RelayProbe.probe(42);
        send(stranger, port, probe);
        DatagramPacket answer = receive(stranger);
        assertThat(Arrays.copyOf(answer.getData(), answer.getLength()))
                .as("the first answer is the probe's: the other two got none")
                .isEqualTo(probe);
        assertThat(relay.probesAnswered()).isEqualTo(1);

        java.util.Map<Long, Long> rtts = RelayProbes.measure(
                java.util.List.of(
                        new RelayProbes.Target(1, "near", "127.0.0.1:" + port),
                        new RelayProbes.Target(2, "gone", "127.0.0.1:" + silent)),
                java.time.Duration.ofMillis(500));
        assertThat(rtts).containsOnlyKeys(1L, 2L);
        assertThat(rtts.get(1L)).isPositive().isLessThan(500_000);
        assertThat(rtts.get(2L)).as("no answer").isNull();
        assertThat(relay.probesAnswered()).isEqualTo(1 + RelayProbes.TRIES);
    }

    private static void send(DatagramSocket from, int port, byte[] data) throws Exception {
        from.send(new DatagramPacket(data, data.length, new InetSocketAddress(LOOPBACK, port)));
    }

    private static DatagramPacket receive(DatagramSocket at) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        at.receive(packet);
        return packet;
    }

    /** Until the relay has dropped {@code count} datagrams (its loops work on their own). */
    private void awaitDropped(long count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (relay.counters(pair).orElseThrow().dropped() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the relay dropped " + relay.counters(pair) + ", expected " + count);
            }
            Thread.sleep(1);
        }
    }
}
