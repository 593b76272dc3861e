package io.clusterplatform.provisioner.core.jobs;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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

    private Set<JobStatus> next;

    static {
        QUEUED.next = Collections.unmodifiableSet(EnumSet.of(WORKING, CANCELLED));
        WORKING.next = Collections.unmodifiableSet(EnumSet.of(DONE, FAILED, QUEUED, CANCELLED));
        DONE.next = Collections.unmodifiableSet(EnumSet.noneOf(JobStatus.class));
        FAILED.next = Collections.unmodifiableSet(EnumSet.noneOf(JobStatus.class));
        CANCELLED.next = Collections.unmodifiableSet(EnumSet.noneOf(JobStatus.class));
    }

    /** The statuses this one may move to; empty for a final status. */
    public Set<JobStatus> next() {
        return next;
    }

    public boolean canMoveTo(JobStatus target) {
        return next.contains(target);
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

    /** Done, failed and cancelled jobs never change again. */
    public boolean isFinal() {
        return next.isEmpty();
    }

    /** The name used in the API and the database: {@code queued}, {@code working}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status with this wire name (case-insensitive), if there is one. */
    public static Optional<JobStatus> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(status -> status.wireName().equals(wanted))
                .findFirst();
    }

    /** {@code "queued, working, done, failed, cancelled"}: for messages that list the known ones. */
    public static String known() {
        return Arrays.stream(values()).map(JobStatus::wireName).collect(Collectors.joining(", "));
    }
}
