package io.clusterplatform.provisioner.server.registries;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of POST and PUT on a text registry: the original API's {@code {text}} plus an optional name.
 *
 * @param text the script itself, stored and served byte for byte
 * @param name an optional label for people
 */
public record TextEntryRequest(
        @NotNull String text, @Size(max = 200) String name) {}
