package io.clusterplatform.provisioner.core.distributors.protocol;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Map;

/** Reading a command's payload fields. */
final class Payloads {
    private Payloads() {}

    /** The field {@code name} of a {@code kind} command's payload, which must be a {@code type}. */
    static <T> T require(Map<String, ?> fields, String name, Class<T> type, CommandKind kind) {
        Object value = fields.get(name);
        if (!type.isInstance(value)) {
            throw ProblemException.invalid("the " + kind.wireName() + " command carries no '" + name + "': " + fields);
        }
        return type.cast(value);
    }
}
