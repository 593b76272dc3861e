package io.clusterplatform.provisioner.core.mesh;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.regex.Pattern;

/** IPv6 literals: parsed without DNS, written in the canonical text form of RFC 5952. */
final class Ipv6Text {
    private static final Pattern CHARS = Pattern.compile("[0-9A-Fa-f:]{2,39}");

    private Ipv6Text() {}

    /** The 16 bytes of an IPv6 literal (hex groups and '::', no embedded IPv4, no zone), or empty. */
    static Optional<byte[]> parse(String text) {
        if (text == null || !CHARS.matcher(text).matches() || text.indexOf(':') < 0) {
            return Optional.empty();
        }
        try {
            // Only hex digits and colons: InetAddress parses the literal and never asks DNS.
            InetAddress address = InetAddress.getByName(text);
            return address instanceof Inet6Address ? Optional.of(address.getAddress()) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** RFC 5952 text of the address whose upper and lower 64 bits are {@code high} and {@code low}. */
    static String format(long high, long low) {
        return NodeAddresses.formatIpv6(
                ByteBuffer.allocate(16).putLong(high).putLong(low).array());
    }

    static long high(byte[] bytes) {
        return toLong(bytes, 0);
    }

    static long low(byte[] bytes) {
        return toLong(bytes, 8);
    }

    private static long toLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value;
    }
}
