package io.clusterplatform.provisioner.server.builds;

import java.time.Instant;
import java.util.UUID;

/** A stored build: its id in its kind's table, the UUID its files live under, its spec and its job. */
public record BuildRow(long id, UUID uuid, String spec, Long jobId, Instant createdAt, Instant updatedAt) {}
