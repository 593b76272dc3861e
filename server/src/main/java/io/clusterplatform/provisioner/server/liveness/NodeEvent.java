package io.clusterplatform.provisioner.server.liveness;

import java.time.Instant;

/** One event of a node's life as the server recorded it, with a sentence that says what happened. */
public record NodeEvent(long id, long nodeId, Instant at, NodeEventKind kind, String detail) {}
