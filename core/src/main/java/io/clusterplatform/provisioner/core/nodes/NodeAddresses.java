package io.clusterplatform.provisioner.core.nodes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Syntax rules for what nodes report about themselves. No lookups: literals only. */
public final class NodeAddresses {
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern ARTIFACT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,253}");
    private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private NodeAddresses() {}

    public static boolean isIpLiteral(String value) {
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        if (value.indexOf(':') < 0 || !IPV6_CHARS.matcher(value).matches()) {
            return false;
        }
        try {
            // With a colon and only hex digits, this parses the literal and never asks DNS.
            InetAddress.getByName(value);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The address in one written form, so that the same host compares equal wherever its address
     * came from (dnsmasq, the servlet container, a registration): IPv4 as is, IPv6 in RFC 5952 form
     * (lower case, the longest run of zero groups as {@code ::}), an IPv4-mapped IPv6 address as its
     * IPv4 address, a zone ({@code %eth0}) dropped. Anything that is not an IP literal is returned
     * unchanged.
     */
    public static String canonicalIp(String value) {
        if (value == null) {
            return null;
        }
        int zone = value.indexOf('%');
        String literal = zone < 0 ? value : value.substring(0, zone);
        if (IPV4.matcher(literal).matches() || !isIpLiteral(literal)) {
            return zone < 0 ? value : literal;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return value;
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        return formatIpv6(bytes);
    }

    /**
     * The 16 bytes of an IPv6 address in RFC 5952 text: lower case, no leading zeros, the longest run
     * of two or more zero groups as {@code ::}.
     */
    public static String formatIpv6(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + bytes.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952: a single zero group is not shortened
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

    public static boolean isArtifactId(String value) {
        return ARTIFACT_ID.matcher(value).matches();
    }

    public static boolean isMac(String value) {
        return MAC.matcher(value).matches();
    }

    public static boolean isHostname(String value) {
        return HOSTNAME.matcher(value).matches();
    }
}
