package io.clusterplatform.provisioner.core.nodes;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network in CIDR form ({@code 192.168.178.0/24}, {@code fd00::/64}): a LAN a
 * distributor is on, which the addresses its nodes claim are checked against.
 */
public record IpPrefix(byte[] network, int length) {

    /** Parses {@code address/length}; a 400 problem naming {@code field} when it is not one. */
    public static IpPrefix parse(String field, String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            throw ProblemException.invalid(
                    "'" + field + "' must be networks like 192.168.178.0/24, got '" + cidr + "'");
        }
        String address = cidr.substring(0, slash);
        String bits = cidr.substring(slash + 1);
        if (!NodeAddresses.isIpLiteral(address) || !bits.matches("[0-9]{1,3}")) {
            throw ProblemException.invalid(
                    "'" + field + "' must be networks like 192.168.178.0/24, got '" + cidr + "'");
        }
        byte[] bytes = bytes(address);
        int length = Integer.parseInt(bits);
        if (length > bytes.length * 8) {
            throw ProblemException.invalid(
                    "'" + field + "': /" + length + " is longer than the address in '" + cidr + "'");
        }
        return new IpPrefix(bytes, length);
    }

    /** Whether {@code ip} (an IP literal) is in this network; false for anything else. */
    public boolean contains(String ip) {
        if (ip == null || !NodeAddresses.isIpLiteral(ip)) {
            return false;
        }
        byte[] address = bytes(ip);
        if (address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < length; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + length;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpPrefix prefix && prefix.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    private static byte[] bytes(String literal) {
        try {
            // an IP literal (checked above): parsed, never looked up
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
