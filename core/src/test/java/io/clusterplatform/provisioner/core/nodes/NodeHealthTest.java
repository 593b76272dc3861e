package io.clusterplatform.provisioner.core.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.nodes.NodeHealth.Colour;
import io.clusterplatform.provisioner.core.nodes.NodeHealth.Facts;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeHealthTest {
    private static final String SITE = "felicitas.pojtinger.swabia.sol";
    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");
    private static final NodeHealth.Thresholds DEFAULTS =
            new NodeHealth.Thresholds(Duration.ofSeconds(30), Duration.ofSeconds(120));

    private static NodeHealth.Assessment checked(boolean reachable, Instant checkedAt, Instant reachableAt) {
        return NodeHealth.assess(new Facts(SITE, true, checkedAt, reachable, reachableAt), DEFAULTS, NOW);
    }

    @Test
    void isGreenWhileReachableWithinYellowAfter() {
        assertThat(checked(true, NOW.minusSeconds(5), NOW.minusSeconds(5)))
                .isEqualTo(new NodeHealth.Assessment(Colour.GREEN, "reachable at 2026-11-22T00:59:55Z"));
        assertThat(checked(true, NOW.minusSeconds(30), NOW.minusSeconds(30)).colour())
                .as("the threshold itself is still green")
                .isEqualTo(Colour.GREEN);
    }

    @Test
    void aSingleFailedCheckKeepsItGreenButSaysSo() {
        NodeHealth.Assessment health = checked(false, NOW.minusSeconds(1), NOW.minusSeconds(11));
        assertThat(health.colour()).isEqualTo(Colour.GREEN);
        assertThat(health.reason()).contains("the check at 2026-11-22T00:59:59Z failed");
    }

    @Test
    void turnsYellowThenRedAfterTheThresholds() {
        NodeHealth.Assessment yellow = checked(false, NOW.minusSeconds(1), NOW.minusSeconds(31));
        assertThat(yellow.colour()).isEqualTo(Colour.YELLOW);
        assertThat(yellow.reason()).startsWith("unreachable since 2026-11-22T00:59:29Z");

        NodeHealth.Assessment red = checked(false, NOW.minusSeconds(1), NOW.minusSeconds(121));
        assertThat(red.colour()).isEqualTo(Colour.RED);
        assertThat(red.reason()).startsWith("unreachable since 2026-11-22T00:57:59Z");
    }

    @Test
    void aNodeNeverReachedIsRedOnceChecked() {
        assertThat(checked(false, NOW.minusSeconds(1), null))
                .isEqualTo(
                        new NodeHealth.Assessment(Colour.RED, "never reachable; last checked at 2026-11-22T00:59:59Z"));
    }

    @Test
    void aNodeNobodyCanCheckIsUnknownNeverHealthy() {
        NodeHealth.Assessment offline = NodeHealth.assess(
                new Facts(SITE, false, NOW.minusSeconds(1), true, NOW.minusSeconds(1)), DEFAULTS, NOW);
        assertThat(offline.colour()).isEqualTo(Colour.UNKNOWN);
        assertThat(offline.reason())
                .isEqualTo("no distributor of artifactId " + SITE
                        + " is online to check it; last reachable at 2026-11-22T00:59:59Z");

        assertThat(NodeHealth.assess(new Facts(SITE, true, null, null, null), DEFAULTS, NOW))
                .isEqualTo(new NodeHealth.Assessment(Colour.UNKNOWN, "not checked yet"));

        NodeHealth.Assessment stale = checked(true, NOW.minusSeconds(121), NOW.minusSeconds(121));
        assertThat(stale.colour()).isEqualTo(Colour.UNKNOWN);
        assertThat(stale.reason()).startsWith("not checked since 2026-11-22T00:57:59Z although a distributor");
    }

    @Test
    void anOldSuccessfulCheckIsNotCalledUnreachable() {
        NodeHealth.Assessment health = checked(true, NOW.minusSeconds(40), NOW.minusSeconds(40));
        assertThat(health.colour()).isEqualTo(Colour.YELLOW);
        assertThat(health.reason()).startsWith("no check since 2026-11-22T00:59:20Z (it was reachable then)");
    }

    @Test
    void thresholdsMustBeOrdered() {
        assertThatThrownBy(() -> new NodeHealth.Thresholds(Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .hasMessageContaining("must be longer than yellow-after");
        assertThatThrownBy(() -> new NodeHealth.Thresholds(Duration.ZERO, Duration.ofSeconds(30)))
                .hasMessageContaining("yellow-after must be positive");
    }

    @Test
    void coloursAreWrittenInLowerCase() {
        assertThat(Colour.UNKNOWN.wireName()).isEqualTo("unknown");
    }
}
