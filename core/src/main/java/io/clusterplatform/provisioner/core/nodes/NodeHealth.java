package io.clusterplatform.provisioner.core.nodes;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A localnode's health colour, computed when it is read from what its distributors' checks last
 * found. The thresholds are explicit and documented (docs/CONFIGURATION.md, "Liveness and health"):
 *
 * <ul>
 *   <li>{@code unknown}: no distributor of the node's artifactId is online, so nobody can check it;
 *       or it was never checked; or its last check is older than {@code redAfter} although a
 *       distributor is online (that distributor's agent does not report on it);
 *   <li>{@code green}: it was reachable within {@code yellowAfter};
 *   <li>{@code yellow}: it was last reachable within {@code redAfter};
 *   <li>{@code red}: it was last reachable longer ago than {@code redAfter}, or never.
 * </ul>
 *
 * A node nobody can check is never shown as healthy.
 */
public final class NodeHealth {

    /** The colour; in the API written in lower case ({@link #wireName()}). */
    public enum Colour {
        GREEN,
        YELLOW,
        RED,
        UNKNOWN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How long a node may go without a successful check before it turns yellow, and red.
     *
     * @param yellowAfter green until this long after the last successful check
     * @param redAfter yellow until this long after it; must be longer than {@code yellowAfter}
     */
    public record Thresholds(Duration yellowAfter, Duration redAfter) {
        public Thresholds {
            if (yellowAfter == null || yellowAfter.isNegative() || yellowAfter.isZero()) {
                throw new IllegalArgumentException("yellow-after must be positive, got " + yellowAfter);
            }
            if (redAfter == null || redAfter.compareTo(yellowAfter) <= 0) {
                throw new IllegalArgumentException(
                        "red-after (" + redAfter + ") must be longer than yellow-after (" + yellowAfter + ")");
            }
        }
    }

    /**
     * What is known about a node's liveness.
     *
     * @param artifactId the node's site tag, for the reason text
     * @param checkerOnline whether a distributor of that artifactId is online
     * @param lastCheckedAt when a distributor last checked it, or null (never)
     * @param reachable the result of that check, or null (never checked)
     * @param lastReachableAt when a check last reached it, or null (never)
     */
    public record Facts(
            String artifactId,
            boolean checkerOnline,
            Instant lastCheckedAt,
            Boolean reachable,
            Instant lastReachableAt) {}

    /** The colour and a sentence that says why, e.g. "unreachable since 2026-11-22T01:02:03Z". */
    public record Assessment(Colour colour, String reason) {}

    private NodeHealth() {}

    public static Assessment assess(Facts facts, Thresholds thresholds, Instant now) {
        if (!facts.checkerOnline()) {
            return new Assessment(
                    Colour.UNKNOWN,
                    "no distributor of artifactId " + facts.artifactId() + " is online to check it"
                            + (facts.lastReachableAt() == null
                                    ? ""
                                    : "; last reachable at " + facts.lastReachableAt()));
        }
        if (facts.lastCheckedAt() == null) {
            return new Assessment(Colour.UNKNOWN, "not checked yet");
        }
        if (olderThan(facts.lastCheckedAt(), thresholds.redAfter(), now)) {
            return new Assessment(
                    Colour.UNKNOWN,
                    "not checked since " + facts.lastCheckedAt() + " although a distributor of artifactId "
                            + facts.artifactId() + " is online: does its agent check nodes?");
        }
        Instant reached = facts.lastReachableAt();
        if (reached == null) {
            return new Assessment(Colour.RED, "never reachable; last checked at " + facts.lastCheckedAt());
        }
        boolean failedSince = !Boolean.TRUE.equals(facts.reachable());
        if (!olderThan(reached, thresholds.yellowAfter(), now)) {
            return new Assessment(
                    Colour.GREEN,
                    failedSince
                            ? "reachable at " + reached + "; the check at " + facts.lastCheckedAt() + " failed"
                            : "reachable at " + reached);
        }
        String since = "unreachable since " + reached + " (its last successful check)";
        if (!failedSince) {
            // The last check succeeded but is old: say so rather than "unreachable".
            since = "no check since " + reached + " (it was reachable then)";
        }
        return olderThan(reached, thresholds.redAfter(), now)
                ? new Assessment(
                        Colour.RED,
                        since + "; red after " + thresholds.redAfter().toSeconds() + " s")
                : new Assessment(
                        Colour.YELLOW,
                        since + "; yellow after " + thresholds.yellowAfter().toSeconds() + " s");
    }

    private static boolean olderThan(Instant instant, Duration age, Instant now) {
        return instant.isBefore(now.minus(age));
    }
}
