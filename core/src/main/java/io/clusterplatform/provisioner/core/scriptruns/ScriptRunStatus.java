package io.clusterplatform.provisioner.core.scriptruns;

import io.clusterplatform.provisioner.core.lifecycles.Lifecycle;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a script run stands, with the transitions it may take:
 *
 * <pre>
 * QUEUED  -> RUNNING | DONE | FAILED   (the agent may report a run it could not start)
 * RUNNING -> DONE | FAILED
 * DONE, FAILED: final
 * </pre>
 *
 * Done means the script exited (with its exit code), failed that it could not run to its end. In the
 * API and the database a status is written in lower case: {@code queued}, {@code running}, {@code
 * done}, {@code failed}.
 */
public enum ScriptRunStatus {
    QUEUED,
    RUNNING,
    DONE,
    FAILED;

    private static final Lifecycle<ScriptRunStatus> LIFECYCLE = Lifecycle.of(
            ScriptRunStatus.class,
            "script run",
            Map.of(
                    QUEUED, Set.of(RUNNING, DONE, FAILED),
                    RUNNING, Set.of(DONE, FAILED)));

    /** The statuses this one may move to; empty for a final status. */
    public Set<ScriptRunStatus> next() {
        return LIFECYCLE.next(this);
    }

    public boolean canMoveTo(ScriptRunStatus target) {
        return LIFECYCLE.canMove(this, target);
    }

    /**
     * Checks a transition.
     *
     * @throws IllegalStateException when the table above does not allow it
     */
    public void checkMoveTo(ScriptRunStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException(LIFECYCLE.refusal(this, target));
        }
    }

    /** The statuses that may move to {@code target}: the ones a store's conditional update accepts. */
    public static Set<ScriptRunStatus> movingTo(ScriptRunStatus target) {
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
    public static Optional<ScriptRunStatus> fromWireName(String name) {
        return LIFECYCLE.fromWireName(name);
    }

    /** The status with this wire name, which must be one (a value read from the database, say). */
    public static ScriptRunStatus ofWireName(String name) {
        return LIFECYCLE.ofWireName(name);
    }

    /** Every wire name, for messages that list the known ones. */
    public static String known() {
        return LIFECYCLE.known();
    }
}
