package io.clusterplatform.provisioner.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DirectPathTest {
    private static final String CANDIDATE = "198.51.100.7:51820";
    private static final String RELAY = "203.0.113.40:40001";
    /** On a slot boundary plus a little. */
    private static final Instant START = Instant.parse("2026-01-01T00:00:00.200Z");

    private final DirectPath path = new DirectPath(CANDIDATE, RELAY, 25, START);

    @Test
    void waitsForTheNextSlotThenTriesTheCandidate() {
        assertThat(path.nextTry()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(path.step(new DirectPath.Seen(RELAY, 100), START.plusSeconds(1)))
                .as("relayed and set so: nothing to do")
                .isNull();
        DirectPath.Use use = path.step(new DirectPath.Seen(RELAY, 100), Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(path.state()).isEqualTo(DirectPath.State.TRYING);
        assertThat(use).isEqualTo(new DirectPath.Use(CANDIDATE, DirectPath.KEEPALIVE_TRYING, false));
    }

    @Test
    void goesDirectWhenDatagramsArriveFromTheCandidate() {
        Instant t = trying();
        assertThat(path.step(new DirectPath.Seen(CANDIDATE, 100), t.plusMillis(500)))
                .isNull();
        DirectPath.Use use = path.step(new DirectPath.Seen(CANDIDATE, 132), t.plusSeconds(1));
        assertThat(path.state()).isEqualTo(DirectPath.State.DIRECT);
        assertThat(use.endpoint()).isEqualTo(CANDIDATE);
        assertThat(use.keepaliveSeconds()).isEqualTo(DirectPath.KEEPALIVE_DIRECT);
    }

    @Test
    void aRelayedDatagramDuringATryIsNoProofAndTheCandidateIsSetAgain() {
        Instant t = trying();
        DirectPath.Use again = path.step(new DirectPath.Seen(RELAY, 164), t.plusMillis(500));
        assertThat(again.endpoint()).isEqualTo(CANDIDATE);
        assertThat(path.step(new DirectPath.Seen(CANDIDATE, 164), t.plusSeconds(1)))
                .as("no datagram since the endpoint was set again")
                .isNull();
        assertThat(path.state()).isEqualTo(DirectPath.State.TRYING);
    }

    @Test
    void aFailedTryFallsBackFreshAndTheNextTryIsTwiceAsFarOff() {
        Instant t = trying();
        DirectPath.Use back = path.step(new DirectPath.Seen(CANDIDATE, 100), t.plus(DirectPath.TRY_FOR));
        assertThat(path.state()).isEqualTo(DirectPath.State.RELAYED);
        assertThat(back).isEqualTo(new DirectPath.Use(RELAY, 25, true));
        assertThat(path.why()).contains("no answer from " + CANDIDATE);
        assertThat(path.nextTry()).isEqualTo(Instant.parse("2026-01-01T00:00:10Z"));
    }

    @Test
    void stridesStopAtTheLongestAndAlwaysLandOnSlotsOfEveryShorterStride() {
        Instant now = START;
        for (int i = 0; i < 10; i++) {
            now = path.nextTry();
            path.step(new DirectPath.Seen(RELAY, 0), now);
            now = now.plus(DirectPath.TRY_FOR);
            path.step(new DirectPath.Seen(CANDIDATE, 0), now);
        }
        Duration gap = Duration.between(now, path.nextTry());
        assertThat(gap).isLessThanOrEqualTo(DirectPath.SLOT.multipliedBy(DirectPath.MAX_STRIDE));
        long slot = DirectPath.SLOT.toMillis();
        assertThat(path.nextTry().toEpochMilli() % (slot * DirectPath.MAX_STRIDE))
                .isZero();
    }

    @Test
    void aSilentDirectPathFallsBackWithinTheDeadline() {
        Instant t = direct();
        assertThat(path.step(new DirectPath.Seen(CANDIDATE, 200), t.plusSeconds(2)))
                .isNull();
        assertThat(path.step(new DirectPath.Seen(CANDIDATE, 200), t.plusSeconds(6)))
                .isNull();
        DirectPath.Use back = path.step(new DirectPath.Seen(CANDIDATE, 200), t.plusSeconds(7));
        assertThat(path.state()).isEqualTo(DirectPath.State.RELAYED);
        assertThat(back.fresh()).isTrue();
        assertThat(path.why()).contains("nothing from");
        assertThat(path.nextTry())
                .as("no try while the relayed path has just taken over")
                .isAfterOrEqualTo(t.plusSeconds(7).plus(DirectPath.RETRY_AFTER_LOSS));
    }

    @Test
    void thePeerGoingBackToTheRelayEndsTheDirectPath() {
        Instant t = direct();
        DirectPath.Use back = path.step(new DirectPath.Seen(RELAY, 300), t.plusSeconds(1));
        assertThat(path.state()).isEqualTo(DirectPath.State.RELAYED);
        assertThat(back.endpoint()).isEqualTo(RELAY);
    }

    @Test
    void theTransitionTableRefusesWhatIsNotInIt() {
        assertThat(DirectPath.State.RELAYED.canBecome(DirectPath.State.DIRECT)).isFalse();
        assertThat(DirectPath.State.DIRECT.canBecome(DirectPath.State.TRYING)).isFalse();
        assertThatThrownBy(() -> new DirectPath(null, RELAY, 25, START)).isInstanceOf(NullPointerException.class);
    }

    private Instant trying() {
        Instant t = path.nextTry();
        path.step(new DirectPath.Seen(RELAY, 100), t);
        assertThat(path.state()).isEqualTo(DirectPath.State.TRYING);
        return t;
    }

    private Instant direct() {
        Instant t = trying().plusSeconds(1);
        path.step(new DirectPath.Seen(CANDIDATE, 132), t);
        assertThat(path.state()).isEqualTo(DirectPath.State.DIRECT);
        return t;
    }
}
