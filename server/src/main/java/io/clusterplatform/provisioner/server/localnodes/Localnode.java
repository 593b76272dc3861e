package io.clusterplatform.provisioner.server.localnodes;

import io.clusterplatform.provisioner.core.nodes.NodeHealth;
import java.time.Instant;

/**
 * A registered node, reachable from its distributor's LAN. Unique by (ip, artifactId).
 *
 * @param pingable set by the node's registration, then by each liveness check (reachable or not)
 * @param lastSeen the last time the node registered or a check reached it
 * @param health computed when read from the checks and the thresholds (see {@link NodeHealth})
 * @param healthReason why it has that colour, e.g. "no distributor of artifactId X is online to check it"
 * @param lastCheckedAt when a distributor last checked it; null: never
 * @param reachable what that check found; null: never checked
 * @param sshOpen whether that check could connect to its SSH port; null: not checked
 * @param verified whether its registration was a plausible claim ({@code RegistrationClaims}): only
 *     verified nodes are checked by the site's distributor
 */
public record Localnode(
        long id,
        String ip,
        String artifactId,
        boolean pingable,
        String mac,
        String hostname,
        Instant firstSeen,
        Instant lastSeen,
        NodeHealth.Colour health,
        String healthReason,
        Instant lastCheckedAt,
        Boolean reachable,
        Boolean sshOpen,
        boolean verified) {}
