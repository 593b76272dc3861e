package io.clusterplatform.provisioner.server.liveness;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What happened to a node: it {@code registered} itself, or a check found it {@code reachable} or
 * {@code unreachable} where the check before found the opposite (or there was none).
 */
public enum NodeEventKind {
    REGISTERED,
    REACHABLE,
    UNREACHABLE;

    /** The name in JSON and in the database. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NodeEventKind> parse(String wireName) {
        return Arrays.stream(values())
                .filter(k -> k.wireName().equals(wireName))
                .findFirst();
    }

    static NodeEventKind of(boolean reachable) {
        return reachable ? REACHABLE : UNREACHABLE;
    }
}
