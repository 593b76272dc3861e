package io.clusterplatform.provisioner.server.builds;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.storage.ListSpec;
import io.clusterplatform.provisioner.server.storage.ListSql;
import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Rows of the build tables ({@code ipxes}, {@code grubs}, {@code syslinuxs}, {@code isos}). */
@Repository
public class BuildStore {
    private static final ListSpec LISTS = new ListSpec(
            Map.of("id", "id", "uuid", "uuid", "spec", "spec", "createdAt", "created_at", "updatedAt", "updated_at"),
            List.of("spec", "uuid"),
            "id");

    private final JdbcClient jdbc;
    private final Clock clock;

    public BuildStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public BuildRow insert(ArtifactKind kind, UUID uuid, String spec) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO " + kind.wireName() + " (uuid, spec, created_at, updated_at) VALUES (?, ?, ?, ?)")
                .params(uuid, spec, now, now)
                .update(keys, "id");
        return find(kind, keys.getKeyAs(Number.class).longValue()).orElseThrow();
    }

    public void attachJob(ArtifactKind kind, long id, long jobId) {
        jdbc.sql("UPDATE " + kind.wireName() + " SET job_id = ? WHERE id = ?")
                .params(jobId, id)
                .update();
    }

    public Optional<BuildRow> find(ArtifactKind kind, long id) {
        return jdbc.sql("SELECT * FROM " + kind.wireName() + " WHERE id = ?")
                .param(id)
                .query(BuildStore::map)
                .optional();
    }

    public Optional<BuildRow> findByUuid(ArtifactKind kind, UUID uuid) {
        return jdbc.sql("SELECT * FROM " + kind.wireName() + " WHERE uuid = ?")
                .param(uuid)
                .query(BuildStore::map)
                .optional();
    }

    public boolean delete(ArtifactKind kind, long id) {
        return jdbc.sql("DELETE FROM " + kind.wireName() + " WHERE id = ?")
                        .param(id)
                        .update()
                > 0;
    }

    public Page<BuildRow> list(ArtifactKind kind, ListRequest request) {
        return new ListSql(kind.wireName(), LISTS).page(jdbc, request, null, BuildStore::map);
    }

    private static BuildRow map(ResultSet rs, int row) throws SQLException {
        long jobId = rs.getLong("job_id");
        Long job = rs.wasNull() ? null : jobId;
        return new BuildRow(
                rs.getLong("id"),
                rs.getObject("uuid", UUID.class),
                rs.getString("spec"),
                job,
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
