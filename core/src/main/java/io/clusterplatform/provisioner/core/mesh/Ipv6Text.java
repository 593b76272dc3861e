package io.clusterplatform.provisioner.core.mesh;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as '::'. */
    static String format(long high, long low) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) ((high >>> (48 - 16 * i)) & 0xffff);
            groups[i + 4] = (int) ((low >>> (48 - 16 * i)) & 0xffff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
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
