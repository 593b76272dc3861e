package io.clusterplatform.provisioner.server.liveness;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresLivenessStoreTest extends LivenessStoreContract {}
