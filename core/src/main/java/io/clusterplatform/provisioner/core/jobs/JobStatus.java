package io.clusterplatform.provisioner.core.jobs;

import io.clusterplatform.provisioner.core.lifecycles.Lifecycle;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a job stands, with the transitions it may take:
 *
 * <pre>
 * QUEUED  -> WORKING | CANCELLED
 * WORKING -> DONE | FAILED | CANCELLED
 *          | QUEUED   (retry after a transient failure, a lost lease, or a worker shutting down)
 * DONE, FAILED, CANCELLED: final
 * </pre>
 *
 * In the API a status is written in lower case: {@code queued}, {@code working}, {@code done},
 * {@code failed}, {@code cancelled}.
 */
public enum JobStatus {
    QUEUED,
    WORKING,
    DONE,
    FAILED,
    CANCELLED;

    private static final Lifecycle<JobStatus> LIFECYCLE = Lifecycle.of(
            JobStatus.class,
            "job",
            Map.of(
                    QUEUED, Set.of(WORKING, CANCELLED),
                    WORKING, Set.of(DONE, FAILED, QUEUED, CANCELLED)));

    /** The statuses this one may move to; empty for a final status. */
    public Set<JobStatus> next() {
        return LIFECYCLE.next(this);
    }

    public boolean canMoveTo(JobStatus target) {
        return LIFECYCLE.canMove(this, target);
    }

    /**
     * Checks a transition.
     *
     * @throws IllegalJobTransitionException when the table above does not allow it
     */
    public void checkMoveTo(JobStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalJobTransitionException(this, target);
        }
    }

    /** The statuses that may move to {@code target}: the ones a store's conditional update accepts. */
    public static Set<JobStatus> movingTo(JobStatus target) {
        return LIFECYCLE.movingTo(target);
    }

    /** A status that never changes again. */
    public boolean isFinal() {
        return LIFECYCLE.isFinal(this);
    }

    /** The name used in the API and the database: the status in lower case. */
    public String wireName() {
        return Lifecycle.wireName(this);
    }

    /** The status with this wire name (case-insensitive), if there is one. */
    public static Optional<JobStatus> fromWireName(String name) {
        return LIFECYCLE.fromWireName(name);
    }

    /** Every wire name, for messages that list the known ones. */
    public static String known() {
        return LIFECYCLE.known();
    }
}
