package io.clusterplatform.provisioner.server.sshkeys;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.sshkeys.ParsedSshKey;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores SSH keys (table {@code sshkeys}). Lists never carry a private key's text: it is neither
 * returned nor searched or sorted by, so not even its shape can be probed through a list.
 */
@Repository
public class SshKeyStore {
    private static final ListSql LIST = new ListSql(
            "sshkeys",
            new ListSpec(
                    Map.of(
                            "id", "id",
                            "name", "name",
                            "text", "(CASE WHEN private THEN NULL ELSE text END)",
                            "artifactId", "artifact_id",
                            "private", "private",
                            "algorithm", "algorithm",
                            "fingerprint", "fingerprint",
                            "createdAt", "created_at",
                            "updatedAt", "updated_at"),
                    List.of("name", "text", "artifactId", "algorithm", "fingerprint"),
                    "id"));

    private final JdbcClient jdbc;
    private final Clock clock;

    public SshKeyStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public SshKey create(String name, String artifactId, ParsedSshKey key) {
        requireStorable(name, artifactId);
        OffsetDateTime now = now();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        "INSERT INTO sshkeys (name, text, artifact_id, private, algorithm, fingerprint, created_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        name,
                        key.text(),
                        artifactId,
                        key.isPrivate(),
                        key.algorithm().id(),
                        key.fingerprint(),
                        now,
                        now)
                .update(keys, "id");
        return get(keys.getKeyAs(Number.class).longValue());
    }

    public Optional<SshKey> find(long id) {
        return jdbc.sql("SELECT * FROM sshkeys WHERE id = ?")
                .param(id)
                .query(SshKeyStore::map)
                .optional();
    }

    /** The newest private key stored for {@code artifactId}: the one scripts run on its nodes with. */
    public Optional<SshKey> newestPrivateKeyOf(String artifactId) {
        return jdbc.sql("SELECT * FROM sshkeys WHERE artifact_id = ? AND private = TRUE ORDER BY id DESC LIMIT 1")
                .param(artifactId)
                .query(SshKeyStore::map)
                .optional();
    }

    public SshKey get(long id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    @Transactional
    public SshKey replace(long id, String name, String artifactId, ParsedSshKey key) {
        requireStorable(name, artifactId);
        int updated = jdbc.sql("UPDATE sshkeys SET name = ?, text = ?, artifact_id = ?, private = ?, algorithm = ?,"
                        + " fingerprint = ?, updated_at = ? WHERE id = ?")
                .params(
                        name,
                        key.text(),
                        artifactId,
                        key.isPrivate(),
                        key.algorithm().id(),
                        key.fingerprint(),
                        now(),
                        id)
                .update();
        if (updated == 0) {
            throw notFound(id);
        }
        return get(id);
    }

    @Transactional
    public void delete(long id) {
        if (jdbc.sql("DELETE FROM sshkeys WHERE id = ?").param(id).update() == 0) {
            throw notFound(id);
        }
    }

    /** A page of keys, private ones without their text. */
    public Page<SshKey> list(ListRequest request) {
        return LIST.page(jdbc, request, null, SshKeyStore::map).map(SshKey::listed);
    }

    /**
     * PostgreSQL refuses U+0000 (H2 would store it): a 400 on both backends instead of a 500 on one.
     * The key text needs no check, {@link ParsedSshKey#text()} is re-encoded ASCII.
     */
    private static void requireStorable(String name, String artifactId) {
        StorableText.require("name", name);
        StorableText.require("artifactId", artifactId);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("SSH key " + id + " does not exist");
    }

    private static SshKey map(ResultSet rs, int row) throws SQLException {
        return new SshKey(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("text"),
                rs.getString("artifact_id"),
                rs.getBoolean("private"),
                rs.getString("algorithm"),
                rs.getString("fingerprint"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
