package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * What other features need of distributors: which one serves an artifactId, queuing a command for it,
 * and checking that a request comes from a given distributor's own agent.
 */
@Component
public class DistributorAgents {
    private final DistributorStore store;
    private final CommandSignals signals;

    DistributorAgents(DistributorStore store, CommandSignals signals) {
        this.store = store;
        this.signals = signals;
    }

    /** The distributor that serves {@code artifactId}: the most recently seen one, online or not. */
    public Optional<Distributor> serving(String artifactId) {
        List<Distributor> all = store.ofArtifact(artifactId);
        return all.stream()
                .filter(Distributor::online)
                .findFirst()
                .or(() -> all.stream().findFirst());
    }

    /** Queues a command and wakes the distributor's long poll. */
    public DistributorCommand queue(long distributorId, String kind, JsonNode payload) {
        DistributorCommand command = store.queue(distributorId, kind, payload);
        signals.signal();
        return command;
    }

    /** The distributor whose agent makes this request; 403 for anyone else, 404 for an unknown id. */
    public Distributor requireAgentOf(long distributorId) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (!(auth instanceof DistributorAuthentication agent)) {
            throw new ProblemException(403, "Forbidden", "only the distributor's own agent token may do this");
        }
        Distributor distributor = store.get(distributorId);
        if (distributor.tokenId() == null
                || distributor.tokenId() != agent.token().id()) {
            throw new ProblemException(
                    403, "Forbidden", "this distributor token belongs to another distributor than " + distributorId);
        }
        store.touch(distributorId);
        return distributor;
    }
}
