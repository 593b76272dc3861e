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
        Set<String> trusted = trustedProxies.stream().map(String::strip).collect(Collectors.toSet());
        String address = request.getRemoteAddr();
        if (!trusted.contains(address)) {
            return address;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null) {
            return address;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!NodeAddresses.isIpLiteral(hop)) {
                return address;
            }
            if (!trusted.contains(hop)) {
                return hop;
            }
        }
        return address;
    }
}
