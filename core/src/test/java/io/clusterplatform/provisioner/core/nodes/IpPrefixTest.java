package io.clusterplatform.provisioner.core.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
    @Test
    void holdsTheAddressesOfItsNetworkOnly() {
        IpPrefix lan = IpPrefix.parse("lanPrefixes", "192.168.178.23/24");
        assertThat(lan.contains("192.168.178.200")).isTrue();
        assertThat(lan.contains("192.168.179.1")).isFalse();
        assertThat(lan.contains("8.8.8.8")).isFalse();
        assertThat(lan.contains("fd00::1")).isFalse();
        assertThat(lan.contains("not an address")).isFalse();
        assertThat(IpPrefix.parse("lanPrefixes", "fd00:1::/64").contains("fd00:1::9"))
                .isTrue();
        assertThat(IpPrefix.parse("lanPrefixes", "10.1.2.3/32").contains("10.1.2.3"))
                .isTrue();
        assertThat(lan).hasToString("192.168.178.23/24");
    }

    @Test
    void refusesWhatIsNoNetwork() {
        for (String bad :
                new String[] {"192.168.178.0", "192.168.178.0/33", "example.com/24", "10.0.0.0/x", "::/129"}) {
            assertThatThrownBy(() -> IpPrefix.parse("lanPrefixes", bad))
                    .as(bad)
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("'lanPrefixes'");
        }
    }
}
