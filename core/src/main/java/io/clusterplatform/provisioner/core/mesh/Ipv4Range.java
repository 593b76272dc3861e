package io.clusterplatform.provisioner.core.mesh;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional IPv4 range of a mesh network: a CIDR block within the private ranges of RFC 1918
 * ({@code 10.0.0.0/8}, {@code 172.16.0.0/12}, {@code 192.168.0.0/16}) or the shared address space
 * of RFC 6598 ({@code 100.64.0.0/10}, which tailnets use too), at most a /30. Node {@code n} (the
 * network's sequence number, from 1) gets the block's base address plus {@code n}: {@code .1}
 * upward, never the block's first (network) or last (broadcast) address. Sequence numbers are never
 * reused, so a range of {@code 2^(32-length) - 2} addresses admits that many joins in the network's
 * life.
 *
 * @param base the first address of the block, as an unsigned 32-bit number
 * @param length the prefix length, 8 to 30
 */
public record Ipv4Range(long base, int length) {
    private static final Pattern CIDR = Pattern.compile(
            "((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})/(\\d{1,2})");
    private static final List<Ipv4Range> ALLOWED = List.of(
            new Ipv4Range(0x0a00_0000L, 8),
            new Ipv4Range(0xac10_0000L, 12),
            new Ipv4Range(0xc0a8_0000L, 16),
            new Ipv4Range(0x6440_0000L, 10));

    public Ipv4Range {
        if (length < 8 || length > 30) {
            throw new IllegalArgumentException("an IPv4 mesh range is a /8 to a /30, got /" + length);
        }
        if ((base & ~mask(length) & 0xffff_ffffL) != 0 || base < 0 || base > 0xffff_ffffL) {
            throw new IllegalArgumentException("host bits set in " + base + "/" + length);
        }
    }

    /** Parses {@code 10.99.0.0/16}; a 400 naming {@code field} says what is wrong. */
    public static Ipv4Range parse(String field, String text) {
        Matcher m = text == null ? null : CIDR.matcher(text);
        if (m == null || !m.matches()) {
            throw ProblemException.invalid(
                    "'" + field + "' must be an IPv4 block in CIDR notation such as 10.99.0.0/24, got '" + text + "'");
        }
        long address = 0;
        for (String part : m.group(1).split("\\.")) {
            address = (address << 8) | Integer.parseInt(part);
        }
        int length = Integer.parseInt(m.group(2));
        if (length > 30) {
            throw ProblemException.invalid(
                    "'" + field + "' must be at most a /30 (two node addresses), got '" + text + "'");
        }
        long hostBits = address & ~mask(length) & 0xffff_ffffL;
        if (hostBits != 0) {
            throw ProblemException.invalid("'" + field + "' has bits set after its /" + length + ": did you mean "
                    + format(address & mask(length)) + "/" + length + "? got '" + text + "'");
        }
        for (Ipv4Range allowed : ALLOWED) {
            if (length >= allowed.length() && (address & mask(allowed.length())) == allowed.base()) {
                return new Ipv4Range(address, length);
            }
        }
        throw ProblemException.invalid("'" + field + "' must lie within 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"
                + " or 100.64.0.0/10, got '" + text + "'");
    }

    /** Whether the two blocks share addresses (one contains the other). */
    public boolean overlaps(Ipv4Range other) {
        long mask = mask(Math.min(length, other.length));
        return (base & mask) == (other.base & mask);
    }

    /** How many node addresses the block has: all but its first and last. */
    public long capacity() {
        return (1L << (32 - length)) - 2;
    }

    /** Whether node {@code sequence} still gets an address from this range. */
    public boolean holds(long sequence) {
        return sequence >= 1 && sequence <= capacity();
    }

    /** The address of node {@code sequence} (1, 2, ...), without a length. */
    public String nodeAddress(long sequence) {
        if (!holds(sequence)) {
            throw new IllegalArgumentException(this + " has no address for node " + sequence);
        }
        return format(base + sequence);
    }

    @Override
    public String toString() {
        return format(base) + "/" + length;
    }

    private static long mask(int length) {
        return (0xffff_ffffL << (32 - length)) & 0xffff_ffffL;
    }

    private static String format(long address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }
}
