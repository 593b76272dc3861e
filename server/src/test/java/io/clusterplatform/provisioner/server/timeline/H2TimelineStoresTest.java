package io.clusterplatform.provisioner.server.timeline;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.H2)
class H2TimelineStoresTest extends TimelineStoresContract {}
