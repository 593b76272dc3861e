package io.clusterplatform.provisioner.server.localnodes;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Locale;

/**
 * What a node says when it registers, from the original's query string
 * ({@code ?ip=..&artifactId=..&pingable=true}) or the same fields as JSON. Without an {@code ip} the
 * request's source address stands for it ({@link #fromSourceWithoutIp}); a bad {@code ip} is refused.
 */
public record LocalnodeRegistration(String ip, String artifactId, Boolean pingable, String mac, String hostname) {

    /** This registration, with {@code source} as its ip when it has none (missing or empty). */
    public LocalnodeRegistration fromSourceWithoutIp(String source) {
        return ip == null || ip.isBlank()
                ? new LocalnodeRegistration(source, artifactId, pingable, mac, hostname)
                : this;
    }

    /** Checks every field and returns it in its stored form (MAC lower case, IPv6 lower case). */
    public LocalnodeRegistration validated() {
        if (ip == null || ip.isBlank()) {
            throw ProblemException.invalid("'ip' is required: the node's IPv4 or IPv6 address (or leave it out to"
                    + " register the request's source address)");
        }
        if (!NodeAddresses.isIpLiteral(ip)) {
            throw ProblemException.invalid("'ip' must be an IPv4 or IPv6 address, got '" + ip + "'");
        }
        if (artifactId == null || artifactId.isBlank()) {
            throw ProblemException.invalid("'artifactId' is required: the site tag of the node's distributor");
        }
        if (!NodeAddresses.isArtifactId(artifactId)) {
            throw ProblemException.invalid(
                    "'artifactId' must be 1 to 253 letters, digits and . _ : -, got '" + artifactId + "'");
        }
        if (mac != null && !NodeAddresses.isMac(mac)) {
            throw ProblemException.invalid("'mac' must look like 52:54:00:12:34:56, got '" + mac + "'");
        }
        if (hostname != null && !NodeAddresses.isHostname(hostname)) {
            throw ProblemException.invalid("'hostname' must be a DNS host name, got '" + hostname + "'");
        }
        return new LocalnodeRegistration(
                ip.toLowerCase(Locale.ROOT),
                artifactId,
                pingable != null && pingable,
                mac == null ? null : mac.toLowerCase(Locale.ROOT).replace('-', ':'),
                hostname);
    }
}
