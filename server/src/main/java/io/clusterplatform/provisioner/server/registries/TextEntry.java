package io.clusterplatform.provisioner.server.registries;

import java.time.Instant;

/** One stored script (mainscript, subscript, kickstart, pre- or postbootscript). */
public record TextEntry(long id, String name, String text, Instant createdAt, Instant updatedAt) {

    public TextEntry withText(String newText) {
        return new TextEntry(id, name, newText, createdAt, updatedAt);
    }
}
