package io.clusterplatform.provisioner.core.distributors;

import io.clusterplatform.provisioner.core.lifecycles.Lifecycle;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a distributor's command stands, with the transitions it may take:
 *
 * <pre>
 * PENDING   -> DELIVERED | DONE | FAILED
 * DELIVERED -> DELIVERED (delivered again on the next poll until acknowledged) | DONE | FAILED
 * DONE, FAILED: final (acknowledged once, with the agent's output or error)
 * </pre>
 *
 * In the API and the database a status is written in lower case: {@code pending}, {@code delivered},
 * {@code done}, {@code failed}.
 */
public enum DistributorCommandStatus {
    PENDING,
    DELIVERED,
    DONE,
    FAILED;

    private static final Lifecycle<DistributorCommandStatus> LIFECYCLE = Lifecycle.of(
            DistributorCommandStatus.class,
            "distributor command",
            Map.of(
                    PENDING, Set.of(DELIVERED, DONE, FAILED),
                    DELIVERED, Set.of(DELIVERED, DONE, FAILED)));

    /** The statuses this one may move to; empty for a final status. */
    public Set<DistributorCommandStatus> next() {
        return LIFECYCLE.next(this);
    }

    public boolean canMoveTo(DistributorCommandStatus target) {
        return LIFECYCLE.canMove(this, target);
    }

    /**
     * Checks a transition.
     *
     * @throws IllegalStateException when the table above does not allow it
     */
    public void checkMoveTo(DistributorCommandStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException(LIFECYCLE.refusal(this, target));
        }
    }

    /** The statuses that may move to {@code target}: the ones a store's conditional update accepts. */
    public static Set<DistributorCommandStatus> movingTo(DistributorCommandStatus target) {
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
    public static Optional<DistributorCommandStatus> fromWireName(String name) {
        return LIFECYCLE.fromWireName(name);
    }

    /** The status with this wire name, which must be one (a value read from the database, say). */
    public static DistributorCommandStatus ofWireName(String name) {
        return LIFECYCLE.ofWireName(name);
    }

    /** Every wire name, for messages that list the known ones. */
    public static String known() {
        return LIFECYCLE.known();
    }
}
