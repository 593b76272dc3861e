package io.clusterplatform.provisioner.distributor.link;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the agent keeps across restarts: the last update payload it applied (null: none yet) and
 * whether the PXE service should run. With it, a restarted agent serves PXE again at once, before it
 * reaches the server (or while it cannot).
 */
public record AgentState(JsonNode settings, boolean on) {
    static final AgentState EMPTY = new AgentState(null, false);

    public AgentState withSettings(JsonNode payload) {
        return new AgentState(payload, on);
    }

    public AgentState withOn(boolean value) {
        return new AgentState(settings, value);
    }
}
