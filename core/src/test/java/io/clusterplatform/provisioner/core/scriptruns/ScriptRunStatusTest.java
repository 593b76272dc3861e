package io.clusterplatform.provisioner.core.scriptruns;

import static io.clusterplatform.provisioner.core.scriptruns.ScriptRunStatus.DONE;
import static io.clusterplatform.provisioner.core.scriptruns.ScriptRunStatus.FAILED;
import static io.clusterplatform.provisioner.core.scriptruns.ScriptRunStatus.QUEUED;
import static io.clusterplatform.provisioner.core.scriptruns.ScriptRunStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScriptRunStatusTest {

    @Test
    void theTableAllowsExactlyTheseTransitions() {
        List<String> allowed = new ArrayList<>();
        for (ScriptRunStatus from : ScriptRunStatus.values()) {
            for (ScriptRunStatus to : ScriptRunStatus.values()) {
                if (from.canMoveTo(to)) {
                    from.checkMoveTo(to);
                    allowed.add(from.wireName() + " -> " + to.wireName());
                }
            }
        }
        assertThat(allowed)
                .containsExactly(
                        "queued -> running",
                        "queued -> done",
                        "queued -> failed",
                        "running -> done",
                        "running -> failed");
    }

    @ParameterizedTest
    @EnumSource(names = {"DONE", "FAILED"})
    void endedRunsNeverChange(ScriptRunStatus status) {
        assertThat(status.isFinal()).isTrue();
        for (ScriptRunStatus target : ScriptRunStatus.values()) {
            assertThat(status.canMoveTo(target)).as("%s -> %s", status, target).isFalse();
        }
    }

    @Test
    void aRunStartsOnceAndNeverGoesBackToTheQueue() {
        assertThat(QUEUED.isFinal()).isFalse();
        assertThat(RUNNING.isFinal()).isFalse();
        assertThat(RUNNING.canMoveTo(RUNNING)).isFalse();
        assertThat(RUNNING.canMoveTo(QUEUED)).isFalse();
        assertThat(QUEUED.canMoveTo(QUEUED)).isFalse();
    }

    @Test
    void aForbiddenTransitionSaysWhatIsAllowed() {
        assertThatThrownBy(() -> RUNNING.checkMoveTo(QUEUED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a running script run cannot become queued; it may become done or failed");
        assertThatThrownBy(() -> DONE.checkMoveTo(RUNNING))
                .hasMessage("a done script run cannot become running (done is final)");
    }

    @Test
    void theStatusesThatMayMoveToATargetAreTheStoresGuard() {
        assertThat(ScriptRunStatus.movingTo(RUNNING)).containsExactly(QUEUED);
        assertThat(ScriptRunStatus.movingTo(DONE)).containsExactly(QUEUED, RUNNING);
        assertThat(ScriptRunStatus.movingTo(FAILED)).containsExactly(QUEUED, RUNNING);
        assertThat(ScriptRunStatus.movingTo(QUEUED)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ScriptRunStatus.class)
    void wireNamesRoundTrip(ScriptRunStatus status) {
        assertThat(ScriptRunStatus.fromWireName(status.wireName())).contains(status);
        assertThat(ScriptRunStatus.ofWireName(status.wireName())).isSameAs(status);
    }

    @Test
    void wireNamesAreTheStoredLowerCaseOnes() {
        assertThat(ScriptRunStatus.known()).isEqualTo("queued, running, done, failed");
        assertThat(ScriptRunStatus.fromWireName(" Running ")).contains(RUNNING);
        assertThat(ScriptRunStatus.fromWireName("working")).isEmpty();
        assertThat(ScriptRunStatus.fromWireName(null)).isEmpty();
        assertThatThrownBy(() -> ScriptRunStatus.ofWireName("cancelled"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown script run status 'cancelled': must be one of queued, running, done, failed");
    }
}
