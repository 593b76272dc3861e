package io.clusterplatform.provisioner.core.scriptruns;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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

    private Set<ScriptRunStatus> next;

    static {
        QUEUED.next = Collections.unmodifiableSet(EnumSet.of(RUNNING, DONE, FAILED));
        RUNNING.next = Collections.unmodifiableSet(EnumSet.of(DONE, FAILED));
        DONE.next = Collections.unmodifiableSet(EnumSet.noneOf(ScriptRunStatus.class));
        FAILED.next = Collections.unmodifiableSet(EnumSet.noneOf(ScriptRunStatus.class));
    }

    /** The statuses this one may move to; empty for a final status. */
    public Set<ScriptRunStatus> next() {
        return next;
    }

    public boolean canMoveTo(ScriptRunStatus target) {
        return next.contains(target);
    }

    /**
     * Checks a transition.
     *
     * @throws IllegalStateException when the table above does not allow it
     */
    public void checkMoveTo(ScriptRunStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("a " + wireName() + " script run cannot become " + target.wireName()
                    + (isFinal()
                            ? " (" + wireName() + " is final)"
                            : "; it may become " + String.join(" or ", wireNames(next))));
        }
    }

    /** The statuses that may move to {@code target}: the ones a store's conditional update accepts. */
    public static Set<ScriptRunStatus> movingTo(ScriptRunStatus target) {
        return Collections.unmodifiableSet(Arrays.stream(values())
                .filter(status -> status.canMoveTo(target))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ScriptRunStatus.class))));
    }

    /** Done and failed runs never change again. */
    public boolean isFinal() {
        return next.isEmpty();
    }

    /** The name used in the API and the database: {@code queued}, {@code running}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status with this wire name (case-insensitive), if there is one. */
    public static Optional<ScriptRunStatus> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(status -> status.wireName().equals(wanted))
                .findFirst();
    }

    /** The status with this wire name, which must be one (a value read from the database, say). */
    public static ScriptRunStatus ofWireName(String name) {
        return fromWireName(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown script run status '" + name + "': must be one of " + known()));
    }

    /** {@code "queued, running, done, failed"}: for messages that list the known ones. */
    public static String known() {
        return String.join(", ", wireNames(EnumSet.allOf(ScriptRunStatus.class)));
    }

    private static java.util.List<String> wireNames(Set<ScriptRunStatus> statuses) {
        return statuses.stream().map(ScriptRunStatus::wireName).toList();
    }
}
