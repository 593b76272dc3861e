package io.clusterplatform.provisioner.server.mesh;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets changes older than {@link MeshSettings#changeRetention()} once an hour. A node that polls
 * with a {@code since} from before then gets the full map. Every replica may run it: deleting what
 * another deleted is harmless.
 */
@Component
class MeshChangePruner {
    private static final Logger log = LoggerFactory.getLogger(MeshChangePruner.class);

    private final MeshNetworkStore networks;
    private final MeshSettings settings;
    private final Clock clock;

    MeshChangePruner(MeshNetworkStore networks, MeshSettings settings, Clock clock) {
        this.networks = networks;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
    void prune() {
        int pruned = networks.pruneChanges(clock.instant().minus(settings.changeRetention()));
        if (pruned > 0) {
            log.info("Forgot {} mesh changes older than {}", pruned, settings.changeRetention());
        }
    }
}
