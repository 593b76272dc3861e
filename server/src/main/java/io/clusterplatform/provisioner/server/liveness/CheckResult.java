package io.clusterplatform.provisioner.server.liveness;

import java.time.Instant;

/**
 * What a distributor's check of one node found, validated (see {@link CheckUpload}).
 *
 * @param nodeId the localnode checked
 * @param ip the address checked (the node's)
 * @param reachable whether the node answered at all (its SSH port, a refused connection or ping)
 * @param sshOpen whether a TCP connection to its SSH port succeeded; null when not tried
 * @param checkedAt when the agent checked, by its clock (microsecond precision)
 */
public record CheckResult(long nodeId, String ip, boolean reachable, Boolean sshOpen, Instant checkedAt) {}
