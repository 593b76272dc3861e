package io.clusterplatform.provisioner.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UlaPrefixTest {

    @Test
    void generatedPrefixesAreRandomSlash48sWithinFd00() {
        Set<String> seen = new HashSet<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            UlaPrefix prefix = UlaPrefix.generate(random);
            assertThat(prefix.length()).isEqualTo(48);
            assertThat(prefix.high() >>> 56).isEqualTo(0xfdL);
            assertThat(prefix.high() & 0xffff).isZero();
            assertThat(UlaPrefix.parse("p", prefix.toString())).isEqualTo(prefix);
            seen.add(prefix.toString());
        }
        assertThat(seen).as("40 random bits: no repeats in 200").hasSize(200);
    }

    @Test
    void generatedGlobalIdIsTheFortyBitsOfTheRandomSource() {
        Random fixed = new Random() {
            @Override
            public long nextLong() {
                return 0xffff_ff12_3456_789aL;
            }
        };
        assertThat(UlaPrefix.generate(fixed)).hasToString("fd12:3456:789a::/48");
    }

    @Test
    void nodeAddressesCarryTheSequenceNumberAsInterfaceId() {
        UlaPrefix site = UlaPrefix.parse("p", "fd3a:91c4:7be2::/48");
        assertThat(site.nodeAddress(1)).isEqualTo("fd3a:91c4:7be2::1");
        assertThat(site.nodeAddress(255)).isEqualTo("fd3a:91c4:7be2::ff");
        assertThat(site.nodeAddress(70_000)).isEqualTo("fd3a:91c4:7be2::1:1170");
        assertThat(site.nodeSubnet()).isEqualTo("fd3a:91c4:7be2::/64");

        UlaPrefix subnet = UlaPrefix.parse("p", "FD3A:91C4:7BE2:0042::/64");
        assertThat(subnet).hasToString("fd3a:91c4:7be2:42::/64");
        assertThat(subnet.nodeAddress(5)).isEqualTo("fd3a:91c4:7be2:42::5");
        assertThatThrownBy(() -> site.nodeAddress(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlapsWhenOneContainsTheOther() {
        UlaPrefix site = UlaPrefix.parse("p", "fd3a:91c4:7be2::/48");
        assertThat(site.overlaps(UlaPrefix.parse("p", "fd3a:91c4:7be2:42::/64")))
                .isTrue();
        assertThat(UlaPrefix.parse("p", "fd3a:91c4:7be2:42::/64").overlaps(site))
                .isTrue();
        assertThat(site.overlaps(site)).isTrue();
        assertThat(site.overlaps(UlaPrefix.parse("p", "fd3a:91c4:7be3::/48"))).isFalse();
        assertThat(UlaPrefix.parse("p", "fd3a:91c4:7be2:42::/64")
                        .overlaps(UlaPrefix.parse("p", "fd3a:91c4:7be2:43::/64")))
                .isFalse();
    }

    @Test
    void canonicalTextFollowsRfc5952() {
        assertThat(Ipv6Text.format(0xfd00_0000_0000_0000L, 0)).isEqualTo("fd00::");
        assertThat(Ipv6Text.format(0xfd00_0001_0000_0001L, 0x0000_0001_0000_0000L))
                .as("the longest zero run is compressed")
                .isEqualTo("fd00:1:0:1:0:1::");
        assertThat(Ipv6Text.format(0xfd00_0000_0000_0001L, 0x0000_0000_0001_0001L))
                .as("of equal runs, the first")
                .isEqualTo("fd00::1:0:0:1:1");
        assertThat(Ipv6Text.format(0xfd00_0001_0000_0001L, 0x0001_0001_0001_0001L))
                .as("a single zero group stays")
                .isEqualTo("fd00:1:0:1:1:1:1:1");
    }

    @Test
    void givenPrefixesMustBeUlaSlash48OrSlash64WithNoHostBits() {
        assertThat(UlaPrefix.parse("p", "fc00:1:2::/48")).hasToString("fc00:1:2::/48");
        assertRefused("fd3a:91c4:7be2::", "/48 or /64");
        assertRefused("fd3a:91c4:7be2::/56", "/48 or a /64");
        assertRefused("2001:db8::/48", "fc00::/7");
        assertRefused("fe80::/64", "fc00::/7");
        assertRefused("fd3a:91c4:7be2:1::/48", "did you mean fd3a:91c4:7be2::/48");
        assertRefused("fd3a:91c4:7be2:1::1/64", "did you mean fd3a:91c4:7be2:1::/64");
        assertRefused("fd3a:zz::/48", "IPv6 prefix");
        assertRefused("10.0.0.0/48", "IPv6 prefix");
        assertRefused("fd3a::1::/48", "IPv6 prefix");
        assertRefused("", "required");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> UlaPrefix.parse("ipv6Prefix", text))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("'ipv6Prefix'")
                .hasMessageContaining(message);
    }
}
