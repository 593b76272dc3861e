package io.clusterplatform.provisioner.server.liveness;

import io.clusterplatform.provisioner.core.nodes.NodeHealth;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often distributors check their localnodes, and when a node's health turns yellow and red,
 * under {@code provisioner.liveness.*} (environment: {@code PROVISIONER_LIVENESS_CHECK_EVERY}, ...).
 *
 * @param checkEvery how often each distributor's agent checks the nodes of its artifactId (whole
 *     seconds, at least 1 s); it reads this from the server before every round
 * @param yellowAfter a node is green while a check reached it within this time
 * @param redAfter yellow while within this time, red beyond it
 */
@ConfigurationProperties("provisioner.liveness")
public record LivenessSettings(
        @DefaultValue("10s") Duration checkEvery,
        @DefaultValue("30s") Duration yellowAfter,
        @DefaultValue("120s") Duration redAfter) {

    public LivenessSettings {
        if (checkEvery == null
                || checkEvery.compareTo(Duration.ofSeconds(1)) < 0
                || checkEvery.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException(
                    "provisioner.liveness.check-every must be whole seconds, at least 1s, got " + checkEvery);
        }
        try {
            new NodeHealth.Thresholds(yellowAfter, redAfter);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provisioner.liveness." + e.getMessage(), e);
        }
        if (yellowAfter.compareTo(checkEvery) <= 0) {
            throw new IllegalArgumentException("provisioner.liveness.yellow-after (" + yellowAfter
                    + ") must be longer than check-every (" + checkEvery + "), or nodes turn yellow between checks");
        }
    }

    public NodeHealth.Thresholds thresholds() {
        return new NodeHealth.Thresholds(yellowAfter, redAfter);
    }

    /** The defaults, for code and tests that build a store by hand. */
    public static LivenessSettings defaults() {
        return new LivenessSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(120));
    }
}
