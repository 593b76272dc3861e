package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.ChangeGeneration;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.storage.ListSpec;
import io.clusterplatform.provisioner.server.storage.ListSql;
import io.clusterplatform.provisioner.server.storage.Rows;
import io.clusterplatform.provisioner.server.storage.StorableText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Stores the entries of all text registries; each registry has its own table and id sequence. */
@Repository
public class TextRegistryStore {
    private static final ListSpec LISTS = new ListSpec(
            Map.of("id", "id", "name", "name", "text", "text", "createdAt", "created_at", "updatedAt", "updated_at"),
            List.of("name", "text"),
            "id");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<TextRegistry, ListSql> lists = new EnumMap<>(TextRegistry.class);
    private final ChangeGeneration generation = new ChangeGeneration();

    public TextRegistryStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        for (TextRegistry registry : TextRegistry.values()) {
            lists.put(registry, new ListSql(registry.path(), LISTS));
        }
    }

    @Transactional
    public TextEntry create(TextRegistry registry, String name, String text) {
        requireStorable(registry, name, text);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO " + registry.path() + " (name, text, created_at, updated_at) VALUES (?, ?, ?, ?)")
                .params(name, text, now, now)
                .update(keys, "id");
        long id = keys.getKeyAs(Number.class).longValue();
        changed();
        return get(registry, id);
    }

    public Optional<TextEntry> find(TextRegistry registry, long id) {
        return jdbc.sql("SELECT * FROM " + registry.path() + " WHERE id = ?")
                .param(id)
                .query(TextRegistryStore::map)
                .optional();
    }

    public TextEntry get(TextRegistry registry, long id) {
        return find(registry, id).orElseThrow(() -> notFound(registry, id));
    }

    @Transactional
    public TextEntry replace(TextRegistry registry, long id, String name, String text) {
        requireStorable(registry, name, text);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        int updated = jdbc.sql("UPDATE " + registry.path() + " SET name = ?, text = ?, updated_at = ? WHERE id = ?")
                .params(name, text, now, id)
                .update();
        if (updated == 0) {
            throw notFound(registry, id);
        }
        changed();
        return get(registry, id);
    }

    @Transactional
    public void delete(TextRegistry registry, long id) {
        int deleted = jdbc.sql("DELETE FROM " + registry.path() + " WHERE id = ?")
                .param(id)
                .update();
        if (deleted == 0) {
            throw notFound(registry, id);
        }
        changed();
    }

    /** What this server's changes of entries make stale: {@link ServedScripts} reads scripts again then. */
    ChangeGeneration changes() {
        return generation;
    }

    private void changed() {
        generation.changed();
    }

    public Page<TextEntry> list(TextRegistry registry, ListRequest request) {
        return lists.get(registry).page(jdbc, request, null, TextRegistryStore::map);
    }

    private static void requireStorable(TextRegistry registry, String name, String text) {
        StorableText.require("name", name);
        StorableText.require("text", text);
        registry.requireServable(text);
    }

    private static ProblemException notFound(TextRegistry registry, long id) {
        return ProblemException.notFound(registry.singular() + " " + id + " does not exist");
    }

    private static TextEntry map(ResultSet rs, int row) throws SQLException {
        return new TextEntry(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("text"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
