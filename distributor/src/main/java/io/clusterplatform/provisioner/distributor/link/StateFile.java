package io.clusterplatform.provisioner.distributor.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Durable small files of the agent: written to a temporary file, forced to disk and renamed over the
 * old one, so a crash leaves either the old or the new content, never half of one.
 */
public final class StateFile {
    private final Path file;
    private final ObjectMapper json;

    public StateFile(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    public AgentState load() throws IOException {
        if (!Files.exists(file)) {
            return AgentState.EMPTY;
        }
        return json.readValue(file.toFile(), AgentState.class);
    }

    public void save(AgentState state) throws IOException {
        write(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(state), "rw-------");
    }

    /** Writes {@code text} to {@code target} atomically and durably, with the given permissions. */
    public static void write(Path target, String text, String permissions) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(StandardCharsets.UTF_8.encode(text));
            channel.force(true);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
