package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.server.http.ChangeSignal;
import io.clusterplatform.provisioner.server.storage.ReplicaSignals;
import org.springframework.stereotype.Component;

/**
 * Wakes the command polls of every replica when a command was queued or answered (see {@link
 * ChangeSignal}): a command queued through one replica reaches an agent long-polling another at once.
 */
@Component
class CommandSignals extends ChangeSignal {
    CommandSignals(ReplicaSignals replicas) {
        super(replicas, "distributor-commands");
    }
}
