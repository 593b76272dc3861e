package io.clusterplatform.provisioner.server.mesh;

import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every second: a relay whose agent has not reported within {@link MeshSettings#relayTimeout()} is
 * down, and its pairs move to the network's next relay that is up; one that reports again is up.
 * Every replica may run it: marking is a conditional update, so one replica logs each change.
 */
@Component
class MeshRelayWatch {
    private static final Logger log = LoggerFactory.getLogger(MeshRelayWatch.class);

    private final MeshService mesh;
    private final MeshSettings settings;
    private final Clock clock;

    MeshRelayWatch(MeshService mesh, MeshSettings settings, Clock clock) {
        this.mesh = mesh;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT1S", fixedDelayString = "PT1S")
    void check() {
        List<Long> marked = mesh.checkRelays(clock.instant().minus(settings.relayTimeout()));
        if (!marked.isEmpty()) {
            log.info("mesh relays {} went down or came back: their pairs' peer maps changed", marked);
        }
    }
}
