package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * A registered distributor. {@code online} is true when it was seen (registered or polled for
 * commands) within {@link io.clusterplatform.provisioner.core.distributors.DistributorRules#ONLINE_WITHIN};
 * an unreachable one stays listed, offline, with its {@code lastSeen}. {@code on} is the last status
 * requested (null: never), {@code settings} the last PUT (null: never).
 */
public record Distributor(
        long id,
        String artifactId,
        String hostname,
        String version,
        boolean online,
        Instant lastSeen,
        Instant registeredAt,
        Boolean on,
        DistributorSettings settings,
        @JsonIgnore Long tokenId) {}
