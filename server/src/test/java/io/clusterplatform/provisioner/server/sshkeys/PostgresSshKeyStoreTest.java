package io.clusterplatform.provisioner.server.sshkeys;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresSshKeyStoreTest extends SshKeyStoreContract {}
