package io.clusterplatform.provisioner.core.lifecycles;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The transition table of a lifecycle enum (JobStatus, ScriptRunStatus, DistributorCommandStatus)
 * and what each of them answers from it: where a status may move, which are final, which may move
 * to a target (a store's conditional update), the lower-case names of the API and the database.
 * Each enum holds one and names its statuses; the rules live here once.
 *
 * @param <S> the enum of the statuses
 */
public final class Lifecycle<S extends Enum<S>> {
    private final Class<S> type;
    private final String noun;
    private final Map<S, Set<S>> next;

    private Lifecycle(Class<S> type, String noun, Map<S, Set<S>> next) {
        this.type = type;
        this.noun = noun;
        this.next = next;
    }

    /**
     * The lifecycle of {@code type}'s statuses, {@code noun} naming what has them in messages ("script
     * run"), with {@code table} giving each status the ones it may move to (a status left out is final).
     */
    public static <S extends Enum<S>> Lifecycle<S> of(Class<S> type, String noun, Map<S, Set<S>> table) {
        Map<S, Set<S>> next = new EnumMap<>(type);
        for (S status : type.getEnumConstants()) {
            Set<S> targets = EnumSet.noneOf(type);
            targets.addAll(table.getOrDefault(status, Set.of()));
            next.put(status, Collections.unmodifiableSet(targets));
        }
        return new Lifecycle<>(type, noun, Collections.unmodifiableMap(next));
    }

    /** The statuses {@code from} may move to; empty for a final status. */
    public Set<S> next(S from) {
        return next.get(from);
    }

    public boolean canMove(S from, S to) {
        return next.get(from).contains(to);
    }

    /** A status that never changes again. */
    public boolean isFinal(S status) {
        return next.get(status).isEmpty();
    }

    /** The statuses that may move to {@code target}: the ones a store's conditional update accepts. */
    public Set<S> movingTo(S target) {
        return Collections.unmodifiableSet(EnumSet.allOf(type).stream()
                .filter(status -> canMove(status, target))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(type))));
    }

    /**
     * Why {@code from} may not move to {@code to}: "a done script run cannot become running (done is
     * final)", or "...; it may become done or failed".
     */
    public String refusal(S from, S to) {
        return "a " + wireName(from) + " " + noun + " cannot become " + wireName(to)
                + (isFinal(from)
                        ? " (" + wireName(from) + " is final)"
                        : "; it may become " + String.join(" or ", wireNames(next.get(from))));
    }

    /** The name used in the API and the database: the constant's name in lower case. */
    public static String wireName(Enum<?> status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** The status with this wire name (case-insensitive, surrounding blanks ignored), if there is one. */
    public Optional<S> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return EnumSet.allOf(type).stream()
                .filter(status -> wireName(status).equals(wanted))
                .findFirst();
    }

    /** The status with this wire name, which must be one (a value read from the database, say). */
    public S ofWireName(String name) {
        return fromWireName(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown " + noun + " status '" + name + "': must be one of " + known()));
    }

    /** Every wire name in declaration order, {@code "queued, running, done, failed"}: for messages. */
    public String known() {
        return String.join(", ", wireNames(EnumSet.allOf(type)));
    }

    private static List<String> wireNames(Set<? extends Enum<?>> statuses) {
        return statuses.stream().map(Lifecycle::wireName).toList();
    }
}
