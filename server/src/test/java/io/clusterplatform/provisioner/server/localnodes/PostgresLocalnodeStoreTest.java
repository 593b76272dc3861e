package io.clusterplatform.provisioner.server.localnodes;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresLocalnodeStoreTest extends LocalnodeStoreContract {}
