package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

/** The queue's contract on a real PostgreSQL: the claim with SKIP LOCKED across two connection pools. */
@UseBackend(Backend.POSTGRESQL)
class PostgresJobQueueTest extends JobQueueContractTest {}
