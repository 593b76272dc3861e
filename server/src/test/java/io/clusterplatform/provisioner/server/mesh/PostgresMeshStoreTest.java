package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresMeshStoreTest extends MeshStoreContract {}
