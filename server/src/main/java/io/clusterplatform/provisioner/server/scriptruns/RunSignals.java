package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.server.http.ChangeSignal;
import io.clusterplatform.provisioner.server.storage.ReplicaSignals;
import org.springframework.stereotype.Component;

/**
 * Wakes the followers of script runs on every replica when output or a result arrived (see {@link
 * ChangeSignal}): output an agent reports through one replica reaches a follower on another at once.
 */
@Component
class RunSignals extends ChangeSignal {
    RunSignals(ReplicaSignals replicas) {
        super(replicas, "script-runs");
    }
}
