package io.clusterplatform.provisioner.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeshRulesTest {

    @Test
    void networkIdsAreLowerCaseDnsLabels() {
        assertThat(MeshRules.requireNetworkId("networkId", "prod-eu-1")).isEqualTo("prod-eu-1");
        assertThat(MeshRules.requireNetworkId("networkId", "a".repeat(63))).hasSize(63);
        for (String bad : new String[] {"Prod", "-lab", "lab-", "a".repeat(64), "lab.eu", "lab_1", " "}) {
            assertThatThrownBy(() -> MeshRules.requireNetworkId("networkId", bad))
                    .as(bad)
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("'networkId'");
        }
    }

    @Test
    void endpointsAreIpLiteralsWithAPort() {
        assertThat(MeshRules.endpointOrNull("endpoint", null)).isNull();
        assertThat(MeshRules.endpointOrNull("endpoint", "203.0.113.7:51820")).isEqualTo("203.0.113.7:51820");
        assertThat(MeshRules.endpointOrNull("endpoint", "[2001:db8::7]:51820")).isEqualTo("[2001:db8::7]:51820");
        for (String bad : new String[] {
            "203.0.113.7", "host.example:51820", "203.0.113.7:0", "203.0.113.7:65536", "2001:db8::7:51820", "[zz::1]:1"
        }) {
            assertThatThrownBy(() -> MeshRules.endpointOrNull("endpoint", bad))
                    .as(bad)
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("'endpoint'");
        }
    }

    @Test
    void tokenLifetimesAndUses() {
        assertThat(MeshRules.parseLifetime("expiresIn", null)).isEqualTo(Duration.ofHours(24));
        assertThat(MeshRules.parseLifetime("expiresIn", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(MeshRules.parseLifetime("expiresIn", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(MeshRules.parseLifetime("expiresIn", "90s")).isEqualTo(Duration.ofSeconds(90));
        for (String bad : new String[] {"24", "1h30m", "30s", "366d", "-1h", ""}) {
            assertThatThrownBy(() -> MeshRules.parseLifetime("expiresIn", bad))
                    .as(bad)
                    .hasMessageContaining("'expiresIn'");
        }
        assertThat(MeshRules.requireUses("uses", null)).isEqualTo(1);
        assertThat(MeshRules.requireUses("uses", 50)).isEqualTo(50);
        assertThatThrownBy(() -> MeshRules.requireUses("uses", 0)).hasMessageContaining("'uses'");
    }

    @Test
    void waitsAreParsedAndCapped() {
        assertThat(MeshRules.parseWait(null)).isEqualTo(Duration.ofSeconds(25));
        assertThat(MeshRules.parseWait("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(MeshRules.parseWait("90s")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> MeshRules.parseWait("soon")).hasMessageContaining("'wait'");
    }

    @Test
    void tokensHaveTheirOwnMarkersAndAPublicPrefix() {
        String join = TokenKind.MESH_JOIN.generate();
        String node = TokenKind.MESH_NODE.generate();
        assertThat(join).startsWith("cpm_").hasSize(53);
        assertThat(node).startsWith("cpn_").hasSize(53);
        assertThat(TokenKind.MESH_JOIN.marks(join)).isTrue();
        assertThat(TokenKind.MESH_NODE.marks(join)).isFalse();
        assertThat(ApiTokens.prefixOf(join)).hasSize(12).startsWith("cpm_");
        assertThat(TokenKind.MESH_JOIN.generate()).isNotEqualTo(join);
    }

    @Test
    void autoRoleIsMasterOnlyForTheFirstNode() {
        assertThat(TokenRole.parse("role", null)).isEqualTo(TokenRole.AUTO);
        assertThat(TokenRole.AUTO.resolve(false)).isEqualTo(NodeRole.MASTER);
        assertThat(TokenRole.AUTO.resolve(true)).isEqualTo(NodeRole.WORKER);
        assertThat(TokenRole.MASTER.resolve(true)).isEqualTo(NodeRole.MASTER);
        assertThat(TokenRole.BRIDGE.resolve(false)).isEqualTo(NodeRole.BRIDGE);
        assertThatThrownBy(() -> TokenRole.parse("role", "Master"))
                .hasMessageContaining("'role' must be one of [auto, master, worker, bridge, relay]");
    }

    @Test
    void healthColoursFollowTheThresholds() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Health.Thresholds t = Health.Thresholds.DEFAULTS;
        assertThat(t.of(null, now)).isEqualTo(Health.UNKNOWN);
        assertThat(t.of(now.minusSeconds(60), now)).isEqualTo(Health.GREEN);
        assertThat(t.of(now.minusSeconds(61), now)).isEqualTo(Health.YELLOW);
        assertThat(t.of(now.minusSeconds(300), now)).isEqualTo(Health.YELLOW);
        assertThat(t.of(now.minusSeconds(301), now)).isEqualTo(Health.RED);
        assertThatThrownBy(() -> new Health.Thresholds(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConnectedNodeIsGreenOnlyWhenAPeerReachedIt() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Health.Thresholds t = Health.Thresholds.DEFAULTS;
        Instant contact = now.minusSeconds(5);
        Instant longAgo = now.minus(Duration.ofHours(1));
        Instant recent = now.minusSeconds(100);

        assertThat(t.assess(contact, new Health.Tunnels(null, 0, null, false, 0, 0), now))
                .as("no peers: nothing to reach")
                .isEqualTo(new Health.Assessment(Health.GREEN, null));
        assertThat(t.assess(contact, new Health.Tunnels(null, 1, now.minusSeconds(60), false, 0, 0), now))
                .as("a first peer came a minute ago: too early to tell")
                .isEqualTo(new Health.Assessment(Health.GREEN, null));
        assertThat(t.assess(contact, new Health.Tunnels(recent, 2, longAgo, false, 0, 0), now))
                .as("a handshake within 3 min")
                .isEqualTo(new Health.Assessment(Health.GREEN, null));

        Health.Assessment bothNatted = t.assess(contact, new Health.Tunnels(null, 2, longAgo, false, 0, 0), now);
        assertThat(bothNatted.health()).isEqualTo(Health.YELLOW);
        assertThat(bothNatted.reason())
                .startsWith("no handshake with any peer yet: this node and all its peers are behind NAT");
        Health.Assessment stale =
                t.assess(contact, new Health.Tunnels(now.minus(Duration.ofMinutes(4)), 2, longAgo, false, 1, 0), now);
        assertThat(stale.health()).isEqualTo(Health.YELLOW);
        assertThat(stale.reason())
                .startsWith("no handshake with any peer since 2026-01-01T11:56:00Z: it has no endpoint of its own");
        assertThat(t.assess(contact, new Health.Tunnels(null, 1, longAgo, true, 0, 0), now)
                        .reason())
                .contains("its endpoint may not be reachable from its peers");
        assertThat(t.assess(contact, new Health.Tunnels(null, 2, longAgo, false, 0, 1), now)
                        .reason())
                .contains("no handshake came through the network's relay");
        assertThat(t.assess(contact, Health.Tunnels.NONE, now)).isEqualTo(new Health.Assessment(Health.GREEN, null));

        assertThat(t.assess(null, new Health.Tunnels(recent, 1, longAgo, true, 1, 0), now))
                .isEqualTo(
                        new Health.Assessment(Health.UNKNOWN, "its agent has not contacted the server since the join"));
        assertThat(t.assess(now.minusSeconds(90), new Health.Tunnels(recent, 1, longAgo, true, 1, 0), now))
                .isEqualTo(new Health.Assessment(Health.YELLOW, "its agent last contacted the server 90 s ago"));
    }

    @Test
    void joinTokenStatesAndTheirRefusals() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Instant later = now.plusSeconds(3600);
        assertThat(JoinTokenState.of(null, later, 1, now)).isEqualTo(JoinTokenState.ACTIVE);
        assertThat(JoinTokenState.of(null, later, 0, now)).isEqualTo(JoinTokenState.USED);
        assertThat(JoinTokenState.of(null, now, 1, now)).isEqualTo(JoinTokenState.EXPIRED);
        assertThat(JoinTokenState.of(now, now, 0, now)).isEqualTo(JoinTokenState.REVOKED);
        assertThat(JoinTokenState.EXPIRED.refusal("cpm_abcdefgh", null, now, 1))
                .startsWith("the join token cpm_abcdefgh expired at 2026-01-01T12:00:00Z");
        assertThat(JoinTokenState.REVOKED.refusal("cpm_abcdefgh", now, later, 1))
                .startsWith("the join token cpm_abcdefgh was revoked at 2026-01-01T12:00:00Z");
        assertThat(JoinTokenState.USED.refusal("cpm_abcdefgh", null, later, 1))
                .startsWith("the join token cpm_abcdefgh has been used: it admits one host only");
        assertThat(JoinTokenState.USED.refusal("cpm_abcdefgh", null, later, 3))
                .startsWith("the join token cpm_abcdefgh has been used 3 times, its limit");
    }
}
