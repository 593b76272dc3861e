package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.Health;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the mesh coordinator, under {@code provisioner.mesh.*} (environment: {@code
 * PROVISIONER_MESH_COALESCE}, ...).
 *
 * @param coalesce how long a waiting peer-map poll, woken by a change, waits for more changes before
 *     it answers, so that a burst (ten hosts joining) reaches each node as one delta
 * @param recheck how often waiting polls look at the database for changes made through another
 *     server replica (changes made through this one wake them at once); one query per network per
 *     interval, however many nodes wait
 * @param healthGreen a node whose agent contacted the server within this time is green
 * @param healthYellow ... within this time yellow; later red (never: unknown)
 * @param changeRetention how long the change log keeps a change; a node polling with an older
 *     {@code since} gets the full map instead of a delta
 * @param listenPort the WireGuard port the join answer suggests
 * @param relayTimeout a relay whose agent has not contacted the server for this long is down: its
 *     pairs move to the network's next relay (relays report at least every 2 s)
 */
@ConfigurationProperties("provisioner.mesh")
public record MeshSettings(
        @DefaultValue("200ms") Duration coalesce,
        @DefaultValue("1s") Duration recheck,
        @DefaultValue("60s") Duration healthGreen,
        @DefaultValue("5m") Duration healthYellow,
        @DefaultValue("7d") Duration changeRetention,
        @DefaultValue("51820") int listenPort,
        @DefaultValue("6s") Duration relayTimeout) {

    public MeshSettings {
        if (coalesce == null || coalesce.isNegative() || coalesce.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("provisioner.mesh.coalesce must be between 0 and 5s, got " + coalesce);
        }
        requirePositive("recheck", recheck);
        requirePositive("change-retention", changeRetention);
        requirePositive("relay-timeout", relayTimeout);
        try {
            new Health.Thresholds(healthGreen, healthYellow);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provisioner.mesh.health-green and health-yellow: " + e.getMessage(), e);
        }
        if (listenPort < 1 || listenPort > 65535) {
            throw new IllegalArgumentException("provisioner.mesh.listen-port must be 1 to 65535, got " + listenPort);
        }
    }

    public static MeshSettings defaults() {
        return new MeshSettings(
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofMinutes(5),
                Duration.ofDays(7),
                51820,
                Duration.ofSeconds(6));
    }

    public Health.Thresholds health() {
        return new Health.Thresholds(healthGreen, healthYellow);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("provisioner.mesh." + name + " must be positive, got " + value);
        }
    }
}
