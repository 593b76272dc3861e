package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.core.distributors.protocol.AgentCommand;
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
    public DistributorCommand queue(long distributorId, AgentCommand agentCommand) {
        DistributorCommand command = store.queue(distributorId, agentCommand);
        signals.signal();
        return command;
    }

    /** The distributor whose agent makes this request; 403 for anyone else, 404 for an unknown id. */
    public Distributor requireAgentOf(long distributorId) {
        return requireOwn(distributorId, "do this");
    }

    /**
     * The distributor {@code id} when the request carries its own agent's token, and counts it as
     * seen. 403 for any other caller (operators too, and agents of other distributors), 404 for an
     * unknown id.
     *
     * @param action what the caller tries, for the refusal ("report checks")
     */
    public Distributor requireOwn(long id, String action) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (!(auth instanceof DistributorAuthentication agent)) {
            throw new ProblemException(403, "Forbidden", "only a distributor token may " + action);
        }
        Distributor distributor = store.get(id);
        if (distributor.tokenId() == null
                || distributor.tokenId() != agent.token().id()) {
            throw new ProblemException(
                    403, "Forbidden", "this distributor token belongs to another distributor than " + id);
        }
        store.touch(id);
        return distributor;
    }
}
