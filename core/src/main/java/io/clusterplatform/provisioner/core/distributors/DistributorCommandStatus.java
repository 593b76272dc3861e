package io.clusterplatform.provisioner.core.distributors;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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

    private Set<DistributorCommandStatus> next;

    static {
        PENDING.next = Collections.unmodifiableSet(EnumSet.of(DELIVERED, DONE, FAILED));
        DELIVERED.next = Collections.unmodifiableSet(EnumSet.of(DELIVERED, DONE, FAILED));
        DONE.next = Collections.unmodifiableSet(EnumSet.noneOf(DistributorCommandStatus.class));
        FAILED.next = Collections.unmodifiableSet(EnumSet.noneOf(DistributorCommandStatus.class));
    }

    /** The statuses this one may move to; empty for a final status. */
    public Set<DistributorCommandStatus> next() {
        return next;
    }

    public boolean canMoveTo(DistributorCommandStatus target) {
        return next.contains(target);
    }

    /**
     * Checks a transition.
     *
     * @throws IllegalStateException when the table above does not allow it
     */
    public void checkMoveTo(DistributorCommandStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException(
                    "a " + wireName() + " distributor command cannot become " + target.wireName()
                            + (isFinal()
                                    ? " (" + wireName() + " is final)"
                                    : "; it may become " + String.join(" or ", wireNames(next))));
        }
    }

    /** The statuses that may move to {@code target}: the ones a store's conditional update accepts. */
    public static Set<DistributorCommandStatus> movingTo(DistributorCommandStatus target) {
        return Collections.unmodifiableSet(Arrays.stream(values())
                .filter(status -> status.canMoveTo(target))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(DistributorCommandStatus.class))));
    }

    /** Done and failed commands never change again. */
    public boolean isFinal() {
        return next.isEmpty();
    }

    /** The name used in the API and the database: {@code pending}, {@code delivered}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status with this wire name (case-insensitive), if there is one. */
    public static Optional<DistributorCommandStatus> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(status -> status.wireName().equals(wanted))
                .findFirst();
    }

    /** The status with this wire name, which must be one (a value read from the database, say). */
    public static DistributorCommandStatus ofWireName(String name) {
        return fromWireName(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown distributor command status '" + name + "': must be one of " + known()));
    }

    /** {@code "pending, delivered, done, failed"}: for messages that list the known ones. */
    public static String known() {
        return String.join(", ", wireNames(EnumSet.allOf(DistributorCommandStatus.class)));
    }

    private static java.util.List<String> wireNames(Set<DistributorCommandStatus> statuses) {
        return statuses.stream().map(DistributorCommandStatus::wireName).toList();
    }
}
