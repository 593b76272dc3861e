package io.clusterplatform.provisioner.server.sshkeys;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.H2)
class H2SshKeyStoreTest extends SshKeyStoreContract {}
