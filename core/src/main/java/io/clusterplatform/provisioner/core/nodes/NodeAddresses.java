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
