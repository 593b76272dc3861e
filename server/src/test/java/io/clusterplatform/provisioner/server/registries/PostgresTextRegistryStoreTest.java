package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresTextRegistryStoreTest extends TextRegistryStoreContract {}
