package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import java.time.Duration;
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
 * and deletion changes {@link ArtifactFileCatalog#generation}, and an entry read under an older
 * generation is read again. A change made by another server sharing the database is seen within
 * {@link #REVALIDATE}; until then the file's own check ({@link ArtifactStore#localFile}: is it
 * there, with this size) still holds. Only files that exist are kept (an unknown one is asked of the
 * database each time and answered by the controller), at most {@value #MAX_KEPT}, so requests for
 * made-up names cannot grow the server's memory.
 */
@Component
public class ServedFiles {
    static final Duration REVALIDATE = Duration.ofSeconds(1);
    static final int MAX_KEPT = 10_000;

    private final ArtifactFileCatalog catalog;
    private final Map<Key, Held> held = new ConcurrentHashMap<>();

    ServedFiles(ArtifactFileCatalog catalog) {
        this.catalog = catalog;
    }

    private record Key(ArtifactKind kind, UUID artifactId, String name) {}

    /** An entry as read under {@code generation} at {@code readAt} (System.nanoTime). */
    private record Held(long generation, long readAt, StoredFile file) {
        boolean fresh(long currentGeneration, long now) {
            return generation == currentGeneration && now - readAt < REVALIDATE.toNanos();
        }
    }

    /** The published file {@code name} of the artifact, as the catalog has it; empty if there is none. */
    public Optional<StoredFile> find(ArtifactKind kind, UUID artifactId, String name) {
        Key key = new Key(kind, artifactId, name);
        long now = System.nanoTime();
        long generation = catalog.generation();
        Held entry = held.get(key);
        if (entry != null && entry.fresh(generation, now)) {
            return Optional.of(entry.file());
        }
        // The generation is read before the database: a change committed meanwhile makes this stale at once.
        Optional<StoredFile> found = catalog.find(kind, artifactId, name);
        if (found.isEmpty()) {
            held.remove(key);
            return Optional.empty();
        }
        if (held.size() >= MAX_KEPT) {
            held.clear();
        }
        held.put(key, new Held(generation, now, found.get()));
        return found;
    }
}
