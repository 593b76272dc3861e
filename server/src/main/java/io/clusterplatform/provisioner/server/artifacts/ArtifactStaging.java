package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A private, writable place for the files of one artifact while it is built. Only plain files
 * directly inside it are published; closing it without {@link #publish()} throws them away.
 */
public interface ArtifactStaging extends AutoCloseable {
    ArtifactKind kind();

    UUID artifactId();

    /**
     * Where to write the file {@code name} (validated: one plain name, see {@code
     * ArtifactNames.requireFileName}); a tool such as {@code xorriso} may write there directly.
     */
    Path file(String name);

    /** Creates (or truncates) the file {@code name} for writing. */
    OutputStream create(String name);

    /**
     * Makes the staged files the artifact's files, replacing all it had before: each file is hashed,
     * flushed to disk and moved into place with an atomic rename, so a reader sees either the old file
     * or the whole new one. Can be called once.
     *
     * @return the published files, by name
     * @throws IllegalStateException if nothing is staged, or the staging area holds something else
     *     than plain files (a directory or a symbolic link)
     */
    List<StoredFile> publish();

    /** Deletes whatever was staged and not published. */
    @Override
    void close();
}
