package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

/** The queue's contract on the embedded database, in the file and PostgreSQL mode the server runs it in. */
@UseBackend(Backend.H2)
class H2JobQueueTest extends JobQueueContractTest {}
