package io.clusterplatform.provisioner.core.distributors.protocol;

import io.clusterplatform.provisioner.core.problems.ProblemException;
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
        if (!(fields.get("on") instanceof Boolean on)) {
            throw ProblemException.invalid("the status command carries no 'on': " + fields);
        }
        return new StatusCommand(on);
    }
}
