package io.clusterplatform.provisioner.core.distributors.protocol;

import java.util.Map;

/**
 * Take the queued script run {@code runId} (once: {@code GET /api/distributors/{id}/scriptruns/{runId}})
 * and run it. Payload: {@code {"runId": 7}}.
 */
public record ScriptCommand(long runId) implements AgentCommand {
    @Override
    public CommandKind kind() {
        return CommandKind.SCRIPT;
    }

    @Override
    public Map<String, Object> fields() {
        return Map.of("runId", runId);
    }

    /** Reads a payload; one without a numeric {@code runId} is refused. */
    public static ScriptCommand fromFields(Map<String, ?> fields) {
        return new ScriptCommand(Payloads.require(fields, "runId", Number.class, CommandKind.SCRIPT)
                .longValue());
    }
}
