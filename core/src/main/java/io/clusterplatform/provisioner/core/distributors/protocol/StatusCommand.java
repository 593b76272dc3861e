package io.clusterplatform.provisioner.core.distributors.protocol;

import java.util.Map;

/** Start ({@code on}) or stop the distributor's PXE service. Payload: {@code {"on": true}}. */
public record StatusCommand(boolean on) implements AgentCommand {
    @Override
    public CommandKind kind() {
        return CommandKind.STATUS;
    }

    @Override
    public Map<String, Object> fields() {
        return Map.of("on", on);
    }

    /** Reads a payload; one without a boolean {@code on} is refused. */
    public static StatusCommand fromFields(Map<String, ?> fields) {
        return new StatusCommand(Payloads.require(fields, "on", Boolean.class, CommandKind.STATUS));
    }
}
