package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.core.scripts.ScriptPlaceholders;
import io.clusterplatform.provisioner.server.storage.ChangeGeneration;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The scripts booting hosts fetch, as a caller without a token is served them ({@link
 * TextRegistry#servedWithoutToken}, placeholders filled in), kept in memory so that a boot storm's
 * thousands of GETs of the same mainscript do not each read the database and fill the placeholders
 * again.
 *
 * <p>What is served is never older than this server's last change of it: every create, replace and
 * delete changes {@link TextRegistryStore#changes}, and a script read under an older generation
 * is read again. A change made by another server sharing the database (or by hand in SQL) is seen
 * within {@link ChangeGeneration#MAX_AGE}. Only existing scripts are kept (an unknown id is asked of the database
 * each time, and answered by the controller), and at most {@value #VARIANTS} filled-in variants per
 * script (server URL and artifactId) of scripts up to {@value #MAX_KEPT_LENGTH} characters, so what a
 * client puts in its Host header or query cannot grow the server's memory.
 */
@Component
public class ServedScripts {
    static final int VARIANTS = 16;
    static final int MAX_KEPT_LENGTH = 64 * 1024;

    private final TextRegistryStore store;
    private final Map<Key, Held> held = new ConcurrentHashMap<>();

    ServedScripts(TextRegistryStore store) {
        this.store = store;
    }

    private record Key(TextRegistry registry, long id) {}

    /** A script as read at {@code read}, with its variants. */
    private record Held(ChangeGeneration.Stamp read, String text, Map<String, byte[]> variants) {}

    /**
     * The bytes a booting host is answered for entry {@code id} of {@code registry}, with {@code
     * {{server}}} and {@code {{artifactId}}} filled in; empty when there is no such entry.
     */
    public Optional<byte[]> served(TextRegistry registry, long id, String server, String artifactId) {
        Key key = new Key(registry, id);
        ChangeGeneration changes = store.changes();
        Held entry = held.get(key);
        if (entry == null || !changes.isCurrent(entry.read())) {
            ChangeGeneration.Stamp read = changes.stamp();
            Optional<TextEntry> stored = store.find(registry, id);
            if (stored.isEmpty()) {
                held.remove(key);
                return Optional.empty();
            }
            entry = new Held(read, registry.servedWithoutToken(stored.get().text()), new ConcurrentHashMap<>());
            held.put(key, entry);
        }
        String variant = server + '\n' + artifactId;
        byte[] bytes = entry.variants().get(variant);
        if (bytes == null) {
            bytes = ScriptPlaceholders.fill(
                            entry.text(),
                            Map.of(ScriptPlaceholders.SERVER, server, ScriptPlaceholders.ARTIFACT_ID, artifactId))
                    .getBytes(StandardCharsets.UTF_8);
            if (entry.text().length() <= MAX_KEPT_LENGTH && entry.variants().size() < VARIANTS) {
                entry.variants().put(variant, bytes);
            }
        }
        return Optional.of(bytes);
    }
}
