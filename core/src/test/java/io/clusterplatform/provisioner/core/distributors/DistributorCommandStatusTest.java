package io.clusterplatform.provisioner.core.distributors;

import static io.clusterplatform.provisioner.core.distributors.DistributorCommandStatus.DELIVERED;
import static io.clusterplatform.provisioner.core.distributors.DistributorCommandStatus.DONE;
import static io.clusterplatform.provisioner.core.distributors.DistributorCommandStatus.FAILED;
import static io.clusterplatform.provisioner.core.distributors.DistributorCommandStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DistributorCommandStatusTest {

    @Test
    void theTableAllowsExactlyTheseTransitions() {
        List<String> allowed = new ArrayList<>();
        for (DistributorCommandStatus from : DistributorCommandStatus.values()) {
            for (DistributorCommandStatus to : DistributorCommandStatus.values()) {
                if (from.canMoveTo(to)) {
                    from.checkMoveTo(to);
                    allowed.add(from.wireName() + " -> " + to.wireName());
                }
            }
        }
        assertThat(allowed)
                .containsExactly(
                        "pending -> delivered",
                        "pending -> done",
                        "pending -> failed",
                        "delivered -> delivered",
                        "delivered -> done",
                        "delivered -> failed");
    }

    @ParameterizedTest
    @EnumSource(names = {"DONE", "FAILED"})
    void acknowledgedCommandsNeverChange(DistributorCommandStatus status) {
        assertThat(status.isFinal()).isTrue();
        for (DistributorCommandStatus target : DistributorCommandStatus.values()) {
            assertThat(status.canMoveTo(target)).as("%s -> %s", status, target).isFalse();
        }
    }

    @Test
    void aDeliveredCommandIsDeliveredAgainButNeverPendingAgain() {
        assertThat(DELIVERED.canMoveTo(DELIVERED)).isTrue();
        assertThat(DELIVERED.canMoveTo(PENDING)).isFalse();
        assertThat(PENDING.canMoveTo(PENDING)).isFalse();
        assertThat(PENDING.isFinal()).isFalse();
        assertThat(DELIVERED.isFinal()).isFalse();
    }

    @Test
    void aForbiddenTransitionSaysWhatIsAllowed() {
        assertThatThrownBy(() -> DELIVERED.checkMoveTo(PENDING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "a delivered distributor command cannot become pending; it may become delivered or done or failed");
        assertThatThrownBy(() -> FAILED.checkMoveTo(DONE))
                .hasMessage("a failed distributor command cannot become done (failed is final)");
    }

    @Test
    void theStatusesThatMayMoveToATargetAreTheStoresGuard() {
        assertThat(DistributorCommandStatus.movingTo(DELIVERED)).containsExactly(PENDING, DELIVERED);
        assertThat(DistributorCommandStatus.movingTo(DONE)).containsExactly(PENDING, DELIVERED);
        assertThat(DistributorCommandStatus.movingTo(FAILED)).containsExactly(PENDING, DELIVERED);
        assertThat(DistributorCommandStatus.movingTo(PENDING)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DistributorCommandStatus.class)
    void wireNamesRoundTrip(DistributorCommandStatus status) {
        assertThat(DistributorCommandStatus.fromWireName(status.wireName())).contains(status);
        assertThat(DistributorCommandStatus.ofWireName(status.wireName())).isSameAs(status);
    }

    @Test
    void wireNamesAreTheStoredLowerCaseOnes() {
        assertThat(DistributorCommandStatus.known()).isEqualTo("pending, delivered, done, failed");
        assertThat(DistributorCommandStatus.fromWireName("DELIVERED")).contains(DELIVERED);
        assertThat(DistributorCommandStatus.fromWireName("queued")).isEmpty();
        assertThat(DistributorCommandStatus.fromWireName(null)).isEmpty();
        assertThatThrownBy(() -> DistributorCommandStatus.ofWireName("acknowledged"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unknown distributor command status 'acknowledged': must be one of pending, delivered, done, failed");
    }
}
