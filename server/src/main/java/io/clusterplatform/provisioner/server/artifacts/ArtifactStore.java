package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where built files live, keyed by (kind, artifact UUID, file name). A builder writes into a {@link
 * ArtifactStaging staging area} and publishes it; until then nobody sees its files, and a build that
 * crashes or fails leaves nothing published. Published files carry size and SHA-256, recorded at
 * publication so that listing never reads the bytes again.
 *
 * <pre>{@code
 * try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
 *     Files.copy(binary, staging.file("ipxe.efi"));
 *     List<StoredFile> files = staging.publish();
 * }
 * }</pre>
 */
public interface ArtifactStore {

    /** A new, empty staging area for the files of one artifact; close it when done. */
    ArtifactStaging stage(ArtifactKind kind, UUID artifactId);

    /** The published files of an artifact, by name; empty if it has none. */
    List<StoredFile> files(ArtifactKind kind, UUID artifactId);

    /** One published file, if there is one by that name (the name is validated first). */
    Optional<StoredFile> find(ArtifactKind kind, UUID artifactId, String name);

    /**
     * The bytes of a published file from {@code offset} on; the caller closes the stream.
     *
     * @throws java.nio.file.NoSuchFileException if the file went away since it was found (deleted or
     *     replaced by a new publication without it)
     */
    InputStream open(StoredFile file, long offset) throws IOException;

    /**
     * Where a published file lies on the local file system, for senders that hand a path to the
     * kernel (sendfile) instead of copying the bytes through the JVM; empty for stores that keep
     * their files elsewhere, whose bytes come from {@link #open} only.
     *
     * <p>The file is checked at the call: a regular file (not a symbolic link) of {@code file.size()}
     * bytes is there. A store that answers a path never writes into a published file: a new
     * publication puts complete files in its place by an atomic rename, and a deletion removes it.
     * So whoever opens the path later reads one whole version, the one {@code file} describes unless
     * a new publication came in between the check and the open.
     *
     * @return an absolute path, or empty if this store has no local files
     * @throws java.nio.file.NoSuchFileException if the file went away since it was found (deleted,
     *     or replaced by a new publication without it or with a file of another size)
     */
    Optional<Path> localFile(StoredFile file) throws IOException;

    /** Removes all files of an artifact (nothing if it has none). */
    void delete(ArtifactKind kind, UUID artifactId);
}
