package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.server.storage.ChangeGeneration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The catalog's entries of the files booting hosts download, kept in memory so that a boot storm's
 * thousands of downloads of the same kernel do not each ask the database for its size and SHA-256.
 *
 * <p>What is kept is never older than this server's last change of the catalog: every publication
 * and deletion changes {@link ArtifactFileCatalog#changes}, and an entry read under an older
 * generation is read again. A change made by another server sharing the database is seen within
 * {@link ChangeGeneration#MAX_AGE}; until then the file's own check ({@link ArtifactStore#localFile}: is it
 * there, with this size) still holds. Only files that exist are kept (an unknown one is asked of the
 * database each time and answered by the controller), at most {@value #MAX_KEPT}, so requests for
 * made-up names cannot grow the server's memory.
 */
@Component
public class ServedFiles {
    static final int MAX_KEPT = 10_000;

    private final ArtifactFileCatalog catalog;
    private final Map<Key, Held> held = new ConcurrentHashMap<>();

    ServedFiles(ArtifactFileCatalog catalog) {
        this.catalog = catalog;
    }

    private record Key(ArtifactKind kind, UUID artifactId, String name) {}

    private record Held(ChangeGeneration.Stamp read, StoredFile file) {}

    /** The published file {@code name} of the artifact, as the catalog has it; empty if there is none. */
    public Optional<StoredFile> find(ArtifactKind kind, UUID artifactId, String name) {
        Key key = new Key(kind, artifactId, name);
        ChangeGeneration changes = catalog.changes();
        Held entry = held.get(key);
        if (entry != null && changes.isCurrent(entry.read())) {
            return Optional.of(entry.file());
        }
        ChangeGeneration.Stamp read = changes.stamp();
        Optional<StoredFile> found = catalog.find(kind, artifactId, name);
        if (found.isEmpty()) {
            held.remove(key);
            return Optional.empty();
        }
        if (held.size() >= MAX_KEPT) {
            held.clear();
        }
        held.put(key, new Held(read, found.get()));
        return found;
    }
}
