package io.clusterplatform.provisioner.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The relay's view of WireGuard datagrams; that real wireguard-go handshakes pass it: MeshNatLabTest. */
class WireguardMessagesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] message(int type, int length) {
        byte[] data = new byte[length];
        RANDOM.nextBytes(data);
        data[0] = (byte) type;
        data[1] = 0;
        data[2] = 0;
        data[3] = 0;
        return data;
    }

    @Test
    void knowsTheFourMessagesByTypeAndSize() {
        assertThat(WireguardMessages.type(message(1, 148), 148)).contains(WireguardMessages.Type.HANDSHAKE_INITIATION);
        assertThat(WireguardMessages.type(message(2, 92), 92)).contains(WireguardMessages.Type.HANDSHAKE_RESPONSE);
        assertThat(WireguardMessages.type(message(3, 64), 64)).contains(WireguardMessages.Type.COOKIE_REPLY);
        assertThat(WireguardMessages.type(message(4, 32), 32)).contains(WireguardMessages.Type.TRANSPORT_DATA);
        assertThat(WireguardMessages.type(message(4, 1440), 1440)).contains(WireguardMessages.Type.TRANSPORT_DATA);

        assertThat(WireguardMessages.type(message(1, 148), 147))
                .as("short initiation")
                .isEmpty();
        assertThat(WireguardMessages.type(message(4, 1452), 1452))
                .as("a full-MTU packet (1420 bytes on MTU 1420) is padded to the MTU only, not to 16")
                .contains(WireguardMessages.Type.TRANSPORT_DATA);
        assertThat(WireguardMessages.type(message(5, 148), 148))
                .as("unknown type")
                .isEmpty();
        byte[] reserved = message(4, 64);
        reserved[2] = 1;
        assertThat(WireguardMessages.type(reserved, 64))
                .as("reserved bytes set")
                .isEmpty();
        assertThat(WireguardMessages.type(message(4, 16), 16)).as("too short").isEmpty();
    }

    @Test
    void aHandshakeIsForTheKeyItsMac1WasMadeWith() {
        String responder = key();
        byte[] mac1Key = WireguardMessages.mac1Key(responder);
        for (WireguardMessages.Type type : new WireguardMessages.Type[] {
            WireguardMessages.Type.HANDSHAKE_INITIATION, WireguardMessages.Type.HANDSHAKE_RESPONSE
        }) {
            int length = type == WireguardMessages.Type.HANDSHAKE_INITIATION ? 148 : 92;
            byte[] data = message(type == WireguardMessages.Type.HANDSHAKE_INITIATION ? 1 : 2, length);
            int offset = WireguardMessages.mac1Offset(type);
            System.arraycopy(WireguardMessages.mac1(mac1Key, data, offset), 0, data, offset, 16);

            assertThat(WireguardMessages.isFor(type, data, length, mac1Key))
                    .as(type.name())
                    .isTrue();
            assertThat(WireguardMessages.isFor(type, data, length, WireguardMessages.mac1Key(key())))
                    .as(type + " for another key")
                    .isFalse();
            data[5] ^= 1;
            assertThat(WireguardMessages.isFor(type, data, length, mac1Key))
                    .as(type + " changed after its mac1 was made")
                    .isFalse();
        }
        assertThat(WireguardMessages.isFor(WireguardMessages.Type.TRANSPORT_DATA, message(4, 148), 148, mac1Key))
                .as("transport data has no mac1")
                .isFalse();
    }
}
