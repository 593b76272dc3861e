package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresArtifactStoreTest extends ArtifactStoreContract {}
