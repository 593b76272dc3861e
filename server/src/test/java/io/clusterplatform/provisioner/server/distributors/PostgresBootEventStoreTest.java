package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresBootEventStoreTest extends BootEventStoreContract {}
