package io.clusterplatform.provisioner.core.mesh;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.security.SecureRandom;
import java.util.Random;

/**
 * The IPv6 prefix of a mesh network: a unique local address (ULA) prefix, RFC 4193.
 *
 * <p>A generated prefix is {@code fd} followed by a 40-bit random global ID from a {@link
 * SecureRandom}: a /48 such as {@code fd3a:91c4:7be2::/48}. RFC 4193 derives the 40 bits from a
 * SHA-1 of a time stamp and an EUI-64; its point is that they are random, and a SecureRandom is the
 * better source here.
 *
 * <p>A given prefix must lie within {@code fc00::/7} and be a /48 (a site, as generated) or a /64 (a
 * single subnet, e.g. carved from a site the operator already uses), with every bit after the prefix
 * zero. Node addresses live in one /64: for a /48 its first subnet ({@code <prefix>:0::/64}), for a
 * /64 the prefix itself. A node's address is that /64 with the node's sequence number in the
 * network as interface identifier: node 1 of {@code fd3a:91c4:7be2::/48} is {@code fd3a:91c4:7be2::1}.
 * Sequence numbers only ever grow (the server keeps a counter per network), so an address is never
 * given out twice, not even after its node was removed.
 *
 * @param high the upper 64 bits of the prefix (for a /48 the low 16 of them are zero)
 * @param length 48 or 64
 */
public record UlaPrefix(long high, int length) {
    private static final long FC00_7_MASK = 0xfe00_0000_0000_0000L;
    private static final long FC00 = 0xfc00_0000_0000_0000L;

    public UlaPrefix {
        if (length != 48 && length != 64) {
            throw new IllegalArgumentException("a mesh prefix is a /48 or a /64, got /" + length);
        }
        if ((high & FC00_7_MASK) != FC00) {
            throw new IllegalArgumentException("not within fc00::/7");
        }
        if (length == 48 && (high & 0xffff) != 0) {
            throw new IllegalArgumentException("bits after the /48 are set");
        }
    }

    /** A fresh random /48 within fd00::/8. */
    public static UlaPrefix generate(Random random) {
        long globalId = random.nextLong() & 0xff_ffff_ffffL; // 40 bits
        return new UlaPrefix((0xfdL << 56) | (globalId << 16), 48);
    }

    /** Parses {@code fd12:3456:789a::/48} or a /64; a 400 naming {@code field} says what is wrong. */
    public static UlaPrefix parse(String field, String text) {
        String example = " such as fd3a:91c4:7be2::/48";
        if (text == null || text.isBlank()) {
            throw ProblemException.invalid("'" + field + "' is required: an IPv6 ULA prefix" + example);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw ProblemException.invalid(
                    "'" + field + "' must name its length, /48 or /64, as in fd3a:91c4:7be2::/48; got '" + text + "'");
        }
        String lengthText = text.substring(slash + 1);
        if (!lengthText.equals("48") && !lengthText.equals("64")) {
            throw ProblemException.invalid("'" + field + "' must be a /48 or a /64, got '" + text + "'");
        }
        byte[] bytes = Ipv6Text.parse(text.substring(0, slash))
                .orElseThrow(() -> ProblemException.invalid(
                        "'" + field + "' must be an IPv6 prefix" + example + ", got '" + text + "'"));
        long high = Ipv6Text.high(bytes);
        long low = Ipv6Text.low(bytes);
        int length = Integer.parseInt(lengthText);
        if ((high & FC00_7_MASK) != FC00) {
            throw ProblemException.invalid("'" + field + "' must be a unique local prefix within fc00::/7 (RFC 4193)"
                    + example + ", got '" + text + "'");
        }
        if (low != 0 || (length == 48 && (high & 0xffff) != 0)) {
            UlaPrefix canonical = new UlaPrefix(length == 48 ? high & ~0xffffL : high, length);
            throw ProblemException.invalid("'" + field + "' has bits set after its /" + length + ": did you mean "
                    + canonical + "? got '" + text + "'");
        }
        return new UlaPrefix(high, length);
    }

    /** The address of the node with sequence number {@code sequence} (1, 2, ...), without a length. */
    public String nodeAddress(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("node sequence numbers start at 1, got " + sequence);
        }
        return Ipv6Text.format(high, sequence);
    }

    /** Whether the two prefixes share addresses (one contains the other). */
    public boolean overlaps(UlaPrefix other) {
        int shorter = Math.min(length, other.length);
        long mask = -1L << (64 - shorter);
        return (high & mask) == (other.high & mask);
    }

    /** The /64 the node addresses live in, e.g. {@code fd3a:91c4:7be2::/64}. */
    public String nodeSubnet() {
        return Ipv6Text.format(high, 0) + "/64";
    }

    @Override
    public String toString() {
        return Ipv6Text.format(high, 0) + "/" + length;
    }
}
