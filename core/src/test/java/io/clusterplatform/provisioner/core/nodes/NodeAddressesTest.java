package io.clusterplatform.provisioner.core.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeAddressesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "192.168.178.152",
                "10.0.0.1",
                "0.0.0.0",
                "255.255.255.255",
                "2001:db8::1",
                "::1",
                "fe80::5054:ff:fe12:3456",
                "::ffff:192.0.2.1"
            })
    void acceptsIpLiterals(String ip) {
        assertThat(NodeAddresses.isIpLiteral(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "01.2.3.4", "example.com", "localhost", "1.2.3.4 ", "::g", "", ":"})
    void rejectsAnythingElseWithoutLookingItUp(String ip) {
        assertThat(NodeAddresses.isIpLiteral(ip)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"felicitas.pojtinger.swabia.sol", "site-1", "a", "lab:rack_2"})
    void acceptsArtifactIds(String id) {
        assertThat(NodeAddresses.isArtifactId(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "ä"})
    void rejectsBadArtifactIds(String id) {
        assertThat(NodeAddresses.isArtifactId(id)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"52:54:00:12:34:56", "52-54-00-AB-CD-EF"})
    void acceptsMacs(String mac) {
        assertThat(NodeAddresses.isMac(mac)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"node1", "node-1.lab.example", "a"})
    void acceptsHostnames(String name) {
        assertThat(NodeAddresses.isHostname(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-node", "node_1", "node..lab", "a b"})
    void rejectsBadHostnames(String name) {
        assertThat(NodeAddresses.isHostname(name)).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "10.0.0.5, 10.0.0.5",
        "0:0:0:0:0:0:0:1, ::1",
        "2001:DB8:0:0:0:0:0:17, 2001:db8::17",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "fe80::5054:ff:fe12:3456%eth0, fe80::5054:ff:fe12:3456",
        "::ffff:192.0.2.1, 192.0.2.1",
        "0:0:0:0:0:0:0:0, ::",
        "example.com, example.com"
    })
    void writesEachAddressInOneForm(String given, String canonical) {
        assertThat(NodeAddresses.canonicalIp(given)).isEqualTo(canonical);
    }
}
