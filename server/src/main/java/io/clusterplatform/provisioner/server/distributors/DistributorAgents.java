package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * For features whose endpoints a distributor's agent calls with its enrollment token (such as
 * liveness checks): the same rule as the agent endpoints of {@link DistributorController}, where only
 * the distributor's own token reaches its id.
 */
@Component
public class DistributorAgents {
    private final DistributorStore store;

    DistributorAgents(DistributorStore store) {
        this.store = store;
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
            throw forbidden("only a distributor token may " + action);
        }
        Distributor distributor = store.get(id);
        if (distributor.tokenId() == null
                || distributor.tokenId() != agent.token().id()) {
            throw forbidden("this distributor token belongs to another distributor than " + id);
        }
        store.touch(id);
        return distributor;
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }
}
