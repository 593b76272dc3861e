package io.clusterplatform.provisioner.core.jobs;

import static io.clusterplatform.provisioner.core.jobs.JobStatus.CANCELLED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.DONE;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.FAILED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.QUEUED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.WORKING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStatusTest {

    @Test
    void aQueuedJobIsEitherClaimedOrCancelled() {
        assertThat(QUEUED.next()).containsExactlyInAnyOrder(WORKING, CANCELLED);
    }

    @Test
    void aWorkingJobEndsOrGoesBackToTheQueue() {
        assertThat(WORKING.next()).containsExactlyInAnyOrder(DONE, FAILED, CANCELLED, QUEUED);
    }

    @ParameterizedTest
    @EnumSource(names = {"DONE", "FAILED", "CANCELLED"})
    void finalStatusesNeverChange(JobStatus status) {
        assertThat(status.isFinal()).isTrue();
        for (JobStatus target : JobStatus.values()) {
            assertThat(status.canMoveTo(target)).as("%s -> %s", status, target).isFalse();
        }
    }

    @Test
    void onlyTheTableAllowsTransitions() {
        int allowed = 0;
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                if (from.canMoveTo(to)) {
                    allowed++;
                    from.checkMoveTo(to);
                }
            }
        }
        assertThat(allowed).isEqualTo(6);
    }

    @Test
    void aQueuedJobCannotSkipWorking() {
        for (JobStatus target : EnumSet.of(DONE, FAILED, QUEUED)) {
            assertThat(QUEUED.canMoveTo(target)).as("queued -> %s", target).isFalse();
        }
    }

    @Test
    void nothingMovesToItself() {
        for (JobStatus status : JobStatus.values()) {
            assertThat(status.canMoveTo(status)).as(status.name()).isFalse();
        }
    }

    @Test
    void aForbiddenTransitionSaysWhatIsAllowed() {
        assertThatThrownBy(() -> QUEUED.checkMoveTo(DONE))
                .isInstanceOf(IllegalJobTransitionException.class)
                .hasMessage("a queued job cannot become done; it may become working or cancelled");
        assertThatThrownBy(() -> DONE.checkMoveTo(WORKING))
                .hasMessage("a done job cannot become working (done is final)");
    }

    @Test
    void wireNamesAreLowerCase() {
        assertThat(JobStatus.known()).isEqualTo("queued, working, done, failed, cancelled");
        assertThat(JobStatus.fromWireName("Working")).contains(WORKING);
        assertThat(JobStatus.fromWireName("finished")).isEmpty();
        assertThat(JobStatus.fromWireName(null)).isEmpty();
    }
}
