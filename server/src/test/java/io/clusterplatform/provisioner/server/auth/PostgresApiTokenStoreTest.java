package io.clusterplatform.provisioner.server.auth;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresApiTokenStoreTest extends ApiTokenStoreContract {}
