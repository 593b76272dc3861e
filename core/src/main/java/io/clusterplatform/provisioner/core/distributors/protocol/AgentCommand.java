package io.clusterplatform.provisioner.core.distributors.protocol;

import java.util.Map;

/**
 * A command for a distributor agent, typed. On the wire a command is {@code {"id", "kind", "payload"}}:
 * {@link #kind()} gives the kind and {@link #fields()} the payload, as a map in the order it is
 * written; {@link #fromFields} reads a payload back.
 */
public sealed interface AgentCommand permits UpdateCommand, StatusCommand, ScriptCommand {
    CommandKind kind();

    /** The payload: field names to values (strings, booleans, numbers), in wire order, without nulls. */
    Map<String, Object> fields();

    /** The command of this kind that {@code fields} (a payload as received) describes; not yet validated. */
    static AgentCommand fromFields(CommandKind kind, Map<String, ?> fields) {
        return switch (kind) {
            case UPDATE -> UpdateCommand.fromFields(fields);
            case STATUS -> StatusCommand.fromFields(fields);
            case SCRIPT -> ScriptCommand.fromFields(fields);
        };
    }
}
