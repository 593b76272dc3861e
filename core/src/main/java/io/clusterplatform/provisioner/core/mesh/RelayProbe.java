package io.clusterplatform.provisioner.core.mesh;

import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * The probe by which agents measure their round trip to a relay: a 16-byte UDP datagram to the
 * relay's endpoint (the port its pairs' ports are above), which the relay sends back unchanged.
 *
 * <pre>
 *   0xff 'c' 'p' 'r'   magic (a WireGuard message starts with its type 1 to 4 and three zero bytes)
 *   8 bytes            the prober's nonce, big-endian
 *   4 zero bytes
 * </pre>
 *
 * <p>The answer is exactly as long as the probe (a relay amplifies nothing), and anything else sent
 * to that port is dropped.
 */
public final class RelayProbe {
    public static final int LENGTH = 16;
    private static final byte[] MAGIC = {(byte) 0xff, 'c', 'p', 'r'};

    private RelayProbe() {}

    /** The probe carrying {@code nonce}. */
    public static byte[] probe(long nonce) {
        return ByteBuffer.allocate(LENGTH).put(MAGIC).putLong(nonce).putInt(0).array();
    }

    /** Whether the first {@code length} bytes of {@code datagram} are a probe (or its answer). */
    public static boolean isProbe(byte[] datagram, int length) {
        if (length != LENGTH || datagram.length < LENGTH) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (datagram[i] != MAGIC[i]) {
                return false;
            }
        }
        return ByteBuffer.wrap(datagram, 12, 4).getInt() == 0;
    }

    /** The nonce of a probe or answer, or empty when {@code datagram} is none. */
    public static OptionalLong nonce(byte[] datagram, int length) {
        return isProbe(datagram, length)
                ? OptionalLong.of(ByteBuffer.wrap(datagram, MAGIC.length, 8).getLong())
                : OptionalLong.empty();
    }
}
