package io.clusterplatform.provisioner.server.http;

import io.clusterplatform.provisioner.core.nodes.IpPrefix;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a request came from: the TCP peer's address, or, when that peer is one of the operator's
 * trusted proxies ({@code provisioner.trusted-proxies}, {@code PROVISIONER_TRUSTED_PROXIES}: IP
 * addresses or networks such as {@code 10.244.0.0/16}, the pods of an ingress controller,
 * comma-separated; none by default), the nearest address in {@code X-Forwarded-For} that is not a
 * trusted proxy. A client that is not a trusted proxy cannot choose its address with a
 * header. Registrations without an {@code ip} take it from here.
 *
 * @param trustedProxies the proxies (addresses or networks) whose {@code X-Forwarded-For} is believed
 */
@ConfigurationProperties("provisioner")
public record ClientAddress(@DefaultValue("") List<String> trustedProxies) {

    public ClientAddress {
        trustedProxies =
                trustedProxies.stream().filter(proxy -> !proxy.isBlank()).toList();
        prefixes(trustedProxies); // refuses what is neither an address nor a network
    }

    /** Whether {@code ip} (an address in any form) is one of the trusted proxies or in one of their networks. */
    public boolean trusts(String ip) {
        return trusts(prefixes(trustedProxies), ip);
    }

    /** The trusted proxies as networks: an address is a network of one. */
    static List<IpPrefix> prefixes(List<String> proxies) {
        return proxies.stream().map(ClientAddress::prefix).toList();
    }

    static boolean trusts(List<IpPrefix> prefixes, String ip) {
        String canonical = NodeAddresses.canonicalIp(ip);
        return prefixes.stream().anyMatch(prefix -> prefix.contains(canonical));
    }

    private static IpPrefix prefix(String proxy) {
        String entry = proxy.strip();
        try {
            if (entry.contains("/")) {
                return IpPrefix.parse("provisioner.trusted-proxies", entry);
            }
            if (NodeAddresses.isIpLiteral(entry)) {
                String canonical = NodeAddresses.canonicalIp(entry);
                return IpPrefix.parse(
                        "provisioner.trusted-proxies", canonical + (canonical.contains(":") ? "/128" : "/32"));
            }
        } catch (ProblemException e) {
            // reported below in the words of a setting
        }
        throw new IllegalArgumentException("provisioner.trusted-proxies: '" + proxy
                + "' is not an IP address or a network like 10.244.0.0/16 (give them comma-separated)");
    }

    /** The request's source address, as described above. */
    public String of(HttpServletRequest request) {
        List<IpPrefix> trusted = prefixes(trustedProxies);
        String address = NodeAddresses.canonicalIp(request.getRemoteAddr());
        if (!trusts(trusted, address)) {
            return address;
        }
        // every X-Forwarded-For header, in order: a proxy may add a header rather than append to the
        // client's own, and the client chooses what comes first
        List<String> hops = new java.util.ArrayList<>();
        for (String header : java.util.Collections.list(request.getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!NodeAddresses.isIpLiteral(hop)) {
                return address;
            }
            hop = NodeAddresses.canonicalIp(hop);
            if (!trusts(trusted, hop)) {
                return hop;
            }
        }
        return address;
    }
}
