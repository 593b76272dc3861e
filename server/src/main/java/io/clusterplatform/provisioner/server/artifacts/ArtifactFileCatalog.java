package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.server.storage.ChangeGeneration;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The size, SHA-256 and time of each published artifact file (table {@code artifact_files}). */
@Repository
public class ArtifactFileCatalog {
    private final JdbcClient jdbc;
    private final ChangeGeneration generation = new ChangeGeneration();

    public ArtifactFileCatalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes {@code files} the only files of the artifact, in one transaction. */
    @Transactional
    public void replace(ArtifactKind kind, UUID artifactId, List<StoredFile> files) {
        delete(kind, artifactId);
        for (StoredFile file : files) {
            jdbc.sql("INSERT INTO artifact_files (kind, artifact_id, name, size, sha256, last_modified)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")
                    .params(
                            file.kind().wireName(),
                            file.artifactId(),
                            file.name(),
                            file.size(),
                            file.sha256(),
                            file.lastModified().atOffset(ZoneOffset.UTC))
                    .update();
        }
        generation.changed();
    }

    public List<StoredFile> list(ArtifactKind kind, UUID artifactId) {
        return jdbc.sql("SELECT * FROM artifact_files WHERE kind = ? AND artifact_id = ? ORDER BY name")
                .params(kind.wireName(), artifactId)
                .query(ArtifactFileCatalog::map)
                .list();
    }

    /** Every file of one kind, by name (for the boot assets, one file per artifact). */
    public List<StoredFile> listKind(ArtifactKind kind) {
        return jdbc.sql("SELECT * FROM artifact_files WHERE kind = ? ORDER BY name")
                .param(kind.wireName())
                .query(ArtifactFileCatalog::map)
                .list();
    }

    public Optional<StoredFile> find(ArtifactKind kind, UUID artifactId, String name) {
        return jdbc.sql("SELECT * FROM artifact_files WHERE kind = ? AND artifact_id = ? AND name = ?")
                .params(kind.wireName(), artifactId, name)
                .query(ArtifactFileCatalog::map)
                .optional();
    }

    public void delete(ArtifactKind kind, UUID artifactId) {
        jdbc.sql("DELETE FROM artifact_files WHERE kind = ? AND artifact_id = ?")
                .params(kind.wireName(), artifactId)
                .update();
        generation.changed();
    }

    /** What this server's changes of the catalog make stale: {@link ServedFiles} reads entries again then. */
    ChangeGeneration changes() {
        return generation;
    }

    private static StoredFile map(ResultSet rs, int row) throws SQLException {
        return new StoredFile(
                ArtifactKind.parse(rs.getString("kind")),
                rs.getObject("artifact_id", UUID.class),
                rs.getString("name"),
                rs.getLong("size"),
                rs.getString("sha256"),
                rs.getObject("last_modified", OffsetDateTime.class).toInstant());
    }
}
