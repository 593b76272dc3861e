package io.clusterplatform.provisioner.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** A request's source address: the peer's, or X-Forwarded-For's only when the peer is a trusted proxy. */
class ClientAddressTest {
    private static MockHttpServletRequest from(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheSourceWhateverTheHeaderSays() {
        ClientAddress none = new ClientAddress(List.of());
        assertThat(none.of(from("192.0.2.7", "203.0.113.9"))).isEqualTo("192.0.2.7");
    }

    @Test
    void behindTrustedProxiesTheNearestUntrustedHopIsTheSource() {
        ClientAddress proxies = new ClientAddress(List.of("192.0.2.1", " 192.0.2.2"));
        assertThat(proxies.of(from("192.0.2.1", "198.51.100.5, 203.0.113.9, 192.0.2.2")))
                .as("the client may have prepended 198.51.100.5 itself; the proxies saw 203.0.113.9")
                .isEqualTo("203.0.113.9");
        assertThat(proxies.of(from("192.0.2.1", null))).isEqualTo("192.0.2.1");
        assertThat(proxies.of(from("192.0.2.1", "not-an-address"))).isEqualTo("192.0.2.1");
        assertThat(proxies.of(from("192.0.2.9", "203.0.113.9"))).isEqualTo("192.0.2.9");
    }

    @Test
    void aTrustedProxyMustBeAnAddressOrANetwork() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.example")))
                .hasMessageContaining("'proxy.example' is not an IP address or a network");
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33")))
                .hasMessageContaining("'10.0.0.0/33' is not an IP address or a network");
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/x"))).hasMessageContaining("'10.0.0.0/x'");
    }

    /** An ingress controller's pods change addresses: their network is trusted, nothing outside it. */
    @Test
    void aTrustedNetworkTrustsEveryAddressInItAndNoOther() {
        ClientAddress pods = new ClientAddress(List.of("10.244.0.0/16", "fd00:10::/64"));
        assertThat(pods.of(from("10.244.3.17", "203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(pods.of(from("10.245.0.1", "203.0.113.9"))).isEqualTo("10.245.0.1");
        assertThat(pods.of(from("fd00:10:0:0:0:0:0:5", "203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(pods.of(from("fd00:11::5", "203.0.113.9"))).isEqualTo("fd00:11::5");
        assertThat(pods.of(from("10.244.3.17", "198.51.100.4, 10.244.9.9")))
                .as("a hop inside the trusted network is a proxy too")
                .isEqualTo("198.51.100.4");
        assertThat(pods.trusts("10.244.255.255")).isTrue();
        assertThat(pods.trusts("10.243.255.255")).isFalse();
    }

    /** A proxy that adds its own header line: the client's forged first line is not believed. */
    @Test
    void everyForwardedForHeaderIsReadAndAddressesCompareInOneForm() {
        ClientAddress proxy = new ClientAddress(List.of("::1"));
        MockHttpServletRequest request = from("0:0:0:0:0:0:0:1", "10.0.0.5");
        request.addHeader("X-Forwarded-For", "203.0.113.9");
        assertThat(proxy.of(request)).isEqualTo("203.0.113.9");
        assertThat(new ClientAddress(List.of()).of(from("fe80:0:0:0:0:0:0:1%2", null)))
                .isEqualTo("fe80::1");
    }
}
