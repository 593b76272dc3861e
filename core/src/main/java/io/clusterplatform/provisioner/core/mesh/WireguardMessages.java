package io.clusterplatform.provisioner.core.mesh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * What a relay may read of a WireGuard datagram without any key: its type, and whether a handshake
 * message is meant for a given public key (its {@code mac1}, WireGuard whitepaper 5.4.4: a keyed
 * BLAKE2s of the message, keyed with a hash of the responder's public key, which anyone who knows
 * that public key can check). Everything else (who sent it, the session's keys, the inner packets) is
 * encrypted for the two nodes only.
 */
public final class WireguardMessages {
    private static final byte[] LABEL_MAC1 = "mac1----".getBytes(StandardCharsets.US_ASCII);

    private WireguardMessages() {}

    /** The four kinds of WireGuard message, with their sizes and where their {@code mac1} sits. */
    public enum Type {
        HANDSHAKE_INITIATION(1, 148, 116),
        HANDSHAKE_RESPONSE(2, 92, 60),
        COOKIE_REPLY(3, 64, -1),
        TRANSPORT_DATA(4, -1, -1);

        private final int code;
        private final int length;
        private final int mac1Offset;

        Type(int code, int length, int mac1Offset) {
            this.code = code;
            this.length = length;
            this.mac1Offset = mac1Offset;
        }

        /** Whether a message of this type carries a {@code mac1} (the two handshake messages do). */
        public boolean isHandshake() {
            return mac1Offset >= 0;
        }
    }

    /**
     * The type of {@code length} bytes of {@code data}, when they are a well-formed WireGuard message:
     * a known type byte, three zero bytes, and the type's size (transport data: a 16-byte header, then
     * the encrypted packet and its 16-byte tag, so at least 32 bytes; WireGuard pads the packet to a
     * multiple of 16 but never beyond the interface's MTU, so a packet of 1420 bytes on an interface of
     * MTU 1420 stays 1420 and its message is no multiple of 16).
     */
    public static Optional<Type> type(byte[] data, int length) {
        if (length < 32 || data[1] != 0 || data[2] != 0 || data[3] != 0) {
            return Optional.empty();
        }
        for (Type type : Type.values()) {
            if (data[0] == type.code) {
                boolean sized = type.length <= 0 || length == type.length;
                return sized ? Optional.of(type) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The key of the {@code mac1} of handshake messages to {@code publicKey} (base64, as wg prints it). */
    public static byte[] mac1Key(String publicKey) {
        byte[] key = Base64.getDecoder().decode(publicKey);
        if (key.length != 32) {
            throw new IllegalArgumentException("a WireGuard public key has 32 bytes, not " + key.length);
        }
        Blake2sDigest hash = new Blake2sDigest(256);
        hash.update(LABEL_MAC1, 0, LABEL_MAC1.length);
        hash.update(key, 0, key.length);
        byte[] out = new byte[32];
        hash.doFinal(out, 0);
        return out;
    }

    /** Whether a handshake message of {@code type} carries the {@code mac1} of {@code mac1Key}'s responder. */
    public static boolean isFor(Type type, byte[] data, int length, byte[] mac1Key) {
        if (!type.isHandshake() || length != type.length) {
            return false;
        }
        byte[] expected = mac1(mac1Key, data, type.mac1Offset);
        return MessageDigest.isEqual(
                expected, java.util.Arrays.copyOfRange(data, type.mac1Offset, type.mac1Offset + 16));
    }

    /** The {@code mac1} of the first {@code covered} bytes of {@code data}: BLAKE2s-128 keyed with {@code key}. */
    public static byte[] mac1(byte[] key, byte[] data, int covered) {
        Blake2sDigest mac = new Blake2sDigest(key, 16, null, null);
        mac.update(data, 0, covered);
        byte[] out = new byte[16];
        mac.doFinal(out, 0);
        return out;
    }

    /** Where the {@code mac1} of a handshake message of {@code type} begins. */
    public static int mac1Offset(Type type) {
        if (!type.isHandshake()) {
            throw new IllegalArgumentException(type + " has no mac1");
        }
        return type.mac1Offset;
    }
}
