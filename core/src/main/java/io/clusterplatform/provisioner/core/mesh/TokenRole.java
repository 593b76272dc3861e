package io.clusterplatform.provisioner.core.mesh;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The role a join token gives: one of the {@link NodeRole}s, or {@code auto}: master when the
 * network has no master at the moment of the join, else worker (Kairos's automatic role choice).
 * The server makes that choice while it holds the network's row lock, so of two hosts joining an
 * empty network at once exactly one becomes master.
 */
public enum TokenRole {
    AUTO,
    MASTER,
    WORKER,
    BRIDGE,
    RELAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a joining node gets, given whether its network has a master already. */
    public NodeRole resolve(boolean networkHasMaster) {
        return switch (this) {
            case AUTO -> networkHasMaster ? NodeRole.WORKER : NodeRole.MASTER;
            case MASTER -> NodeRole.MASTER;
            case WORKER -> NodeRole.WORKER;
            case BRIDGE -> NodeRole.BRIDGE;
            case RELAY -> NodeRole.RELAY;
        };
    }

    /** {@code auto} when absent; otherwise one of the known names, or a 400 naming {@code field}. */
    public static TokenRole parse(String field, String text) {
        if (text == null) {
            return AUTO;
        }
        return Arrays.stream(values())
                .filter(r -> r.wireName().equals(text))
                .findFirst()
                .orElseThrow(() ->
                        ProblemException.invalid("'" + field + "' must be one of " + known() + ", got '" + text + "'"));
    }

    public static List<String> known() {
        return Arrays.stream(values()).map(TokenRole::wireName).toList();
    }
}
