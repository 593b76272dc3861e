package io.clusterplatform.provisioner.server.http;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a request came from: the TCP peer's address, or, when that peer is one of the operator's
 * trusted proxies ({@code provisioner.trusted-proxies}, {@code PROVISIONER_TRUSTED_PROXIES}: IP
 * addresses, comma-separated; none by default), the nearest address in {@code X-Forwarded-For} that
 * is not a trusted proxy. A client that is not a trusted proxy cannot choose its address with a
 * header. Registrations without an {@code ip} take it from here.
 *
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} is believed
 */
@ConfigurationProperties("provisioner")
public record ClientAddress(@DefaultValue("") List<String> trustedProxies) {

    public ClientAddress {
        trustedProxies =
                trustedProxies.stream().filter(proxy -> !proxy.isBlank()).toList();
        for (String proxy : trustedProxies) {
            if (!NodeAddresses.isIpLiteral(proxy.strip())) {
                throw new IllegalArgumentException("provisioner.trusted-proxies: '" + proxy
                        + "' is not an IP address (give addresses, comma-separated)");
            }
        }
    }

    /** The request's source address, as described above. */
    public String of(HttpServletRequest request) {
        Set<String> trusted = trustedProxies.stream()
                .map(p -> NodeAddresses.canonicalIp(p.strip()))
                .collect(Collectors.toSet());
        String address = NodeAddresses.canonicalIp(request.getRemoteAddr());
        if (!trusted.contains(address)) {
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
            if (!trusted.contains(hop)) {
                return hop;
            }
        }
        return address;
    }
}
