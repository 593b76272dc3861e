package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.core.kickstarts.KickstartPasswords;

/** The original API's text registries. Each is served under {@code /api/<path>} and kept in its own table. */
public enum TextRegistry {
    MAINSCRIPTS("mainscripts", "mainscript"),
    SUBSCRIPTS("subscripts", "subscript"),
    KICKSTARTS("kickstarts", "kickstart"),
    PREBOOTSCRIPTS("prebootscripts", "prebootscript"),
    POSTBOOTSCRIPTS("postbootscripts", "postbootscript");

    private final String path;
    private final String singular;

    TextRegistry(String path, String singular) {
        this.path = path;
        this.singular = singular;
    }

    /** The URL path segment and table name, e.g. {@code mainscripts}. */
    public String path() {
        return path;
    }

    /**
     * The text as served to a caller without a token (a booting host): kickstarts' plaintext
     * passwords become SHA-512 crypt hashes; the other registries serve the text as stored.
     */
    public String servedWithoutToken(String text) {
        return this == KICKSTARTS ? KickstartPasswords.hidePlaintextPasswords(text) : text;
    }

    /**
     * Refuses (400) a text that could not be served safely without a token: a kickstart whose
     * password the parser cannot place ({@link KickstartPasswords#unplaceablePasswords}).
     */
    public void requireServable(String text) {
        if (this == KICKSTARTS && text != null) {
            KickstartPasswords.requirePlaceablePasswords("text", text);
        }
    }

    /** The word for one entry in messages, e.g. {@code mainscript}. */
    public String singular() {
        return singular;
    }
}
