package io.clusterplatform.provisioner.server.localnodes;

import java.time.Instant;

/** A registered node, reachable from its distributor's LAN. Unique by (ip, artifactId). */
public record Localnode(
        long id,
        String ip,
        String artifactId,
        boolean pingable,
        String mac,
        String hostname,
        Instant firstSeen,
        Instant lastSeen) {}
