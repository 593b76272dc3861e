package io.clusterplatform.provisioner.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;

class Ipv4RangeTest {

    @Test
    void nodesGetAddressesFromDotOneUpwardUpToTheLastButOne() {
        Ipv4Range range = Ipv4Range.parse("r", "10.99.0.0/24");
        assertThat(range.capacity()).isEqualTo(254);
        assertThat(range.nodeAddress(1)).isEqualTo("10.99.0.1");
        assertThat(range.nodeAddress(254)).isEqualTo("10.99.0.254");
        assertThat(range.holds(255)).isFalse();
        assertThat(range.holds(0)).isFalse();
        assertThat(Ipv4Range.parse("r", "100.64.0.0/10").nodeAddress(300)).isEqualTo("100.64.1.44");
        assertThat(Ipv4Range.parse("r", "192.168.7.252/30").capacity()).isEqualTo(2);
    }

    @Test
    void overlapsWhenOneContainsTheOther() {
        Ipv4Range wide = Ipv4Range.parse("r", "10.99.0.0/16");
        assertThat(wide.overlaps(Ipv4Range.parse("r", "10.99.7.0/24"))).isTrue();
        assertThat(Ipv4Range.parse("r", "10.99.7.0/24").overlaps(wide)).isTrue();
        assertThat(wide.overlaps(Ipv4Range.parse("r", "10.98.0.0/16"))).isFalse();
    }

    @Test
    void onlyPrivateAndSharedBlocksWithoutHostBits() {
        assertThat(Ipv4Range.parse("r", "172.31.0.0/16")).hasToString("172.31.0.0/16");
        assertRefused("172.32.0.0/16", "within 10.0.0.0/8");
        assertRefused("8.8.8.0/24", "within 10.0.0.0/8");
        assertRefused("100.128.0.0/16", "within 10.0.0.0/8");
        assertRefused("10.0.0.0/7", "within 10.0.0.0/8");
        assertRefused("10.99.0.1/24", "did you mean 10.99.0.0/24");
        assertRefused("10.99.0.0/31", "at most a /30");
        assertRefused("10.99.0.0", "CIDR");
        assertRefused("10.99.0.0/abc", "CIDR");
        assertRefused("fd00::/64", "CIDR");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> Ipv4Range.parse("ipv4Range", text))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("'ipv4Range'")
                .hasMessageContaining(message);
    }
}
