package io.clusterplatform.provisioner.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.mesh.RelayChoice.Measured;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayChoiceTest {
    private static final long R1 = 11;
    private static final long R2 = 12;
    private static final long R3 = 13;

    private static Measured ms(long r1, long r2) {
        return new Measured(Map.of(R1, r1 * 1000, R2, r2 * 1000), Set.of());
    }

    @Test
    void aNewPairTakesTheRelayNearestToBothNodes() {
        // a is near relay 1, b is near relay 2; the sum decides: 10+40 at relay 1, 30+5 at relay 2.
        assertThat(RelayChoice.choose(null, List.of(R1, R2), ms(10, 30), ms(40, 5)))
                .isEqualTo(R2);
        assertThat(RelayChoice.cost(R2, ms(10, 30), ms(40, 5))).isEqualTo(35_000);
    }

    @Test
    void equalRelaysAndNoMeasurementsGiveTheLowestId() {
        assertThat(RelayChoice.choose(null, List.of(R2, R1), ms(5, 5), ms(5, 5)))
                .isEqualTo(R1);
        assertThat(RelayChoice.choose(null, List.of(R3, R2), Measured.NONE, Measured.NONE))
                .isEqualTo(R2);
        assertThat(RelayChoice.choose(R1, List.of(), ms(1, 1), ms(1, 1))).isNull();
    }

    @Test
    void aNodeThatDoesNotMeasureLeavesTheChoiceToItsPartner() {
        assertThat(RelayChoice.choose(null, List.of(R1, R2), Measured.NONE, ms(50, 8)))
                .isEqualTo(R2);
    }

    @Test
    void aRelayEitherNodeCannotReachIsAvoidedAndLeft() {
        Measured aLostR2 = new Measured(Map.of(R1, 80_000L), Set.of(R2));
        assertThat(RelayChoice.cost(R2, aLostR2, ms(1, 1))).isEqualTo(RelayChoice.UNREACHABLE);
        assertThat(RelayChoice.choose(null, List.of(R1, R2), aLostR2, ms(40, 1)))
                .isEqualTo(R1);
        assertThat(RelayChoice.choose(R2, List.of(R1, R2), aLostR2, ms(40, 1)))
                .as("the current relay stopped answering a: left at once, however near it was")
                .isEqualTo(R1);
        Measured lostBoth = new Measured(Map.of(), Set.of(R1, R2));
        assertThat(RelayChoice.choose(R2, List.of(R1, R2), lostBoth, ms(1, 1)))
                .as("nothing answers: the lowest")
                .isEqualTo(R1);
    }

    @Test
    void aPairKeepsItsRelayUntilAnotherIsClearlyNearer() {
        // 40 ms at relay 1 against 34 at relay 2: 6 ms but only 15%: stays.
        assertThat(RelayChoice.choose(R1, List.of(R1, R2), ms(20, 17), ms(20, 17)))
                .isEqualTo(R1);
        // 4 ms against 0.5: 87% but only 3.5 ms: stays.
        Measured quick = new Measured(Map.of(R1, 2_000L, R2, 250L), Set.of());
        assertThat(RelayChoice.choose(R1, List.of(R1, R2), quick, quick)).isEqualTo(R1);
        // 20 ms against 15: 5 ms and 25%: moves.
        assertThat(RelayChoice.choose(R1, List.of(R1, R2), ms(10, 8), ms(10, 7)))
                .isEqualTo(R2);
    }

    @Test
    void aRelayThatIsDownIsLeftForTheNearestThatIsUp() {
        Measured a = new Measured(Map.of(R1, 1_000L, R2, 30_000L, R3, 20_000L), Set.of());
        assertThat(RelayChoice.choose(R1, List.of(R2, R3), a, Measured.NONE)).isEqualTo(R3);
    }

    @Test
    void aChoiceIsStableAndAlwaysOneOfTheRelaysThatAreUp() {
        long[] values = {0, 1, 3, 10, 40};
        List<Long> up = List.of(R1, R2, R3);
        for (long a1 : values) {
            for (long a2 : values) {
                for (long b3 : values) {
                    Measured a = new Measured(Map.of(R1, a1 * 1000, R2, a2 * 1000), Set.of());
                    Measured b = new Measured(Map.of(R3, b3 * 1000), Set.of());
                    for (Long current : new Long[] {null, R1, R2, R3}) {
                        Long chosen = RelayChoice.choose(current, up, a, b);
                        assertThat(up).contains(chosen);
                        assertThat(RelayChoice.choose(chosen, up, a, b))
                                .as("chosen again from its own choice: no flapping")
                                .isEqualTo(chosen);
                        assertThat(RelayChoice.cost(chosen, a, b))
                                .as("never clearly worse than the best")
                                .isLessThanOrEqualTo(Math.max(
                                        (long) (RelayChoice.cost(RelayChoice.choose(null, up, a, b), a, b)
                                                        / (1 - RelayChoice.MIN_GAIN_SHARE))
                                                + 1,
                                        RelayChoice.cost(RelayChoice.choose(null, up, a, b), a, b)
                                                + RelayChoice.MIN_GAIN_MICROS));
                    }
                }
            }
        }
    }
}
