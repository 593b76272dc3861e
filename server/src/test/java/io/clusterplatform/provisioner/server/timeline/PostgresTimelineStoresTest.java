package io.clusterplatform.provisioner.server.timeline;

import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.UseBackend;

@UseBackend(Backend.POSTGRESQL)
class PostgresTimelineStoresTest extends TimelineStoresContract {}
