package io.clusterplatform.provisioner.core.distributors.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of command a server sends its distributors. On the wire (the {@code kind} of a command, and
 * the database) a kind is its name in lower case: {@code update}, {@code status}, {@code script}.
 */
public enum CommandKind {
    /** New settings: bootloaders to fetch, the dnsmasq configuration to render ({@link UpdateCommand}). */
    UPDATE,
    /** Start or stop the PXE service ({@link StatusCommand}). */
    STATUS,
    /** Take a queued script run and run it ({@link ScriptCommand}). */
    SCRIPT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The kind of this wire name; empty for a kind this release does not know. */
    public static Optional<CommandKind> ofWireName(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(wireName)).findFirst();
    }
}
