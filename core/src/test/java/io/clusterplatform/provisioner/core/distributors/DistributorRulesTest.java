package io.clusterplatform.provisioner.core.distributors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DistributorRulesTest {

    @Test
    void urlsMustBeHttpWithAHost() {
        assertThat(DistributorRules.requireHttpUrl("u", "http://h:30003/ipxes/x/ipxe.efi"))
                .isEqualTo("http://h:30003/ipxes/x/ipxe.efi");
        assertThat(DistributorRules.requireHttpUrl("u", "HTTPS://h/x")).isEqualTo("HTTPS://h/x");
        for (String bad : new String[] {"ftp://h/x", "http:///x", "not a url", "file:/etc/passwd", ""}) {
            assertThatThrownBy(() -> DistributorRules.requireHttpUrl("ipxePxeUefiUrl", bad))
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("'ipxePxeUefiUrl'");
        }
    }

    @Test
    void devicesAreLinuxInterfaceNames() {
        assertThat(DistributorRules.requireDevice("device", "enp0s25")).isEqualTo("enp0s25");
        assertThat(DistributorRules.requireDevice("device", "br-lan.100")).isEqualTo("br-lan.100");
        assertThat(DistributorRules.requireDevice("device", "a23456789012345")).hasSize(15);
        for (String bad : new String[] {"a234567890123456", "eth/0", "eth 0", "eth0:1", ".", "..", "\t"}) {
            assertThatThrownBy(() -> DistributorRules.requireDevice("device", bad))
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("'device'");
        }
    }

    @Test
    void rangeIsAnIpv4Address() {
        assertThat(DistributorRules.requireIpv4("range", "192.168.178.1")).isEqualTo("192.168.178.1");
        for (String bad : new String[] {"192.168.178", "256.1.1.1", "::1", "192.168.178.0/24", "host"}) {
            assertThatThrownBy(() -> DistributorRules.requireIpv4("range", bad))
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("'range'");
        }
    }

    @Test
    void onlineMeansSeenWithinTheThreshold() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        assertThat(DistributorRules.isOnline(now.minusSeconds(60), now)).isTrue();
        assertThat(DistributorRules.isOnline(now.minusSeconds(61), now)).isFalse();
        assertThat(DistributorRules.isOnline(null, now)).isFalse();
    }

    @Test
    void waitsAreParsedAndCapped() {
        assertThat(DistributorRules.parseWait("25s")).isEqualTo(Duration.ofSeconds(25));
        assertThat(DistributorRules.parseWait("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DistributorRules.parseWait("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(DistributorRules.parseWait(null)).isEqualTo(DistributorRules.DEFAULT_WAIT);
        assertThat(DistributorRules.parseWait("3600s")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> DistributorRules.parseWait("soon")).isInstanceOf(ProblemException.class);
    }

    @Test
    void tokensHaveTheirOwnMarkerAndAFullPrefix() {
        String token = TokenKind.DISTRIBUTOR.generate();
        assertThat(token).startsWith("cpd_").hasSize(53);
        assertThat(TokenKind.DISTRIBUTOR.marks(token)).isTrue();
        assertThat(TokenKind.DISTRIBUTOR.marks(TokenKind.OPERATOR.generate())).isFalse();
        assertThat(ApiTokens.prefixOf(token)).hasSize(ApiTokens.PREFIX_LENGTH);
        assertThat(TokenKind.DISTRIBUTOR.generate()).isNotEqualTo(token);
    }
}
