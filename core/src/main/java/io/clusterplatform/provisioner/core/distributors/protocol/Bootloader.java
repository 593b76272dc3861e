package io.clusterplatform.provisioner.core.distributors.protocol;

import java.util.Objects;

/**
 * Where an update command's bootloader for one architecture comes from: the iPXE binary's {@code url}
 * and, when it is a file of the server's own artifact store, its {@code sha256} (the agent checks its
 * download against it) and the {@code scriptUrl} of the iPXE script built beside it. Both may be null.
 */
public record Bootloader(String url, String sha256, String scriptUrl) {
    public Bootloader {
        Objects.requireNonNull(url, "url");
    }
}
