package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.scriptruns.ScriptRunStatus;
import io.clusterplatform.provisioner.server.storage.LifecycleSql;
import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Script runs (table {@code script_runs}) and the host keys pinned on localnodes. {@link #transition}
 * is the only statement that changes a run's status once it is queued.
 */
@Repository
public class ScriptRunStore {
    /** stdout and stderr keep at most this many characters each (1 Mi); the rest is cut and flagged. */
    public static final int MAX_OUTPUT = 1024 * 1024;

    /**
     * What the agent needs to start a run: the stored key's id, or null when the key was given with
     * the request (then {@link GivenKeys} holds it, never the database).
     */
    public record Ticket(ScriptRun run, Long privateKeyId, String pinnedHostKey) {}

    /** A slice of a run's output from the given offsets on. */
    public record Output(
            String stdout, String stderr, int stdoutOffset, int stderrOffset, String status, Integer exitCode) {}

    /** A run's status change, with when it started ({@code started_at}) or finished ({@code finished_at}). */
    private static final LifecycleSql<ScriptRunStatus> STATUS = new LifecycleSql<>(
            "script_runs",
            ScriptRunStatus::movingTo,
            Map.of(
                    ScriptRunStatus.RUNNING, "started_at",
                    ScriptRunStatus.DONE, "finished_at",
                    ScriptRunStatus.FAILED, "finished_at"));

    private final JdbcClient jdbc;
    private final Clock clock;

    public ScriptRunStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public ScriptRun create(
            long nodeId,
            long distributorId,
            String user,
            String ip,
            String script,
            Long privateKeyId,
            int timeoutSeconds) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO script_runs (node_id, distributor_id, status, ssh_user, ip, script, private_key_id,"
                        + " timeout_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        nodeId,
                        distributorId,
                        ScriptRunStatus.QUEUED.wireName(),
                        user,
                        ip,
                        script,
                        privateKeyId,
                        timeoutSeconds,
                        now())
                .update(keys, "id");
        return get(keys.getKeyAs(Number.class).longValue());
    }

    public void setCommand(long runId, long commandId) {
        jdbc.sql("UPDATE script_runs SET command_id = ? WHERE id = ?")
                .params(commandId, runId)
                .update();
    }

    public Optional<ScriptRun> find(long id) {
        return jdbc.sql("SELECT * FROM script_runs WHERE id = ?")
                .param(id)
                .query(ScriptRunStore::map)
                .optional();
    }

    public ScriptRun get(long id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("script run " + id + " does not exist"));
    }

    /** The node's runs, newest first. */
    public List<ScriptRun> ofNode(long nodeId, int limit) {
        return jdbc.sql("SELECT * FROM script_runs WHERE node_id = ? ORDER BY id DESC LIMIT ?")
                .params(nodeId, limit)
                .query(ScriptRunStore::map)
                .list();
    }

    /**
     * Marks a queued run of this distributor running and returns what the agent needs; a run is
     * started once (a second delivery of its command gets a 409 and must not run the script again).
     */
    @Transactional
    public Ticket start(long runId, long distributorId) {
        ScriptRun run = get(runId);
        if (run.distributorId() == null || run.distributorId() != distributorId) {
            throw new ProblemException(
                    403, "Forbidden", "script run " + runId + " is not for distributor " + distributorId);
        }
        if (!transition(runId, ScriptRunStatus.RUNNING, "")) {
            throw new ProblemException(
                    409,
                    "Conflict",
                    "script run " + runId + " is " + run.status() + ", not " + ScriptRunStatus.QUEUED.wireName()
                            + ": a run starts once, so it is not run again");
        }
        return jdbc.sql("SELECT r.private_key_id, n.host_key FROM script_runs r"
                        + " JOIN localnodes n ON n.id = r.node_id WHERE r.id = ?")
                .param(runId)
                .query((rs, i) -> new Ticket(
                        get(runId),
                        rs.getObject("private_key_id") == null ? null : rs.getLong("private_key_id"),
                        rs.getString("host_key")))
                .single();
    }

    /**
     * Appends {@code text} of {@code stream} (stdout or stderr) that starts at {@code offset} of the
     * stream; text the store already has (a chunk sent again) is skipped, so appending is idempotent.
     * A gap (offset beyond what is stored) is a 409 naming the size to resend from.
     */
    @Transactional
    public int append(long runId, String stream, int offset, String text) {
        String column = switch (stream) {
            case "stdout" -> "stdout";
            case "stderr" -> "stderr";
            default -> throw ProblemException.invalid("'stream' must be stdout or stderr, got '" + stream + "'");
        };
        Integer size = jdbc.sql("SELECT " + column + "_size FROM script_runs WHERE id = ? FOR UPDATE")
                .param(runId)
                .query(Integer.class)
                .optional()
                .orElseThrow(() -> ProblemException.notFound("script run " + runId + " does not exist"));
        if (offset > size) {
            throw new ProblemException(
                    409,
                    "Conflict",
                    "'offset' " + offset + " is beyond the " + size + " characters of " + stream + " stored: send from "
                            + size);
        }
        String fresh = text.substring(Math.min(text.length(), size - offset));
        if (fresh.isEmpty()) {
            return size;
        }
        int stored = Math.min(fresh.length(), Math.max(0, MAX_OUTPUT - size));
        jdbc.sql("UPDATE script_runs SET " + column + " = " + column + " || ?, " + column + "_size = ?, " + column
                        + "_truncated = " + column + "_truncated OR ? WHERE id = ?")
                .params(fresh.substring(0, stored), size + fresh.length(), stored < fresh.length(), runId)
                .update();
        return size + fresh.length();
    }

    /**
     * Ends a running run: done when the script exited ({@code exitCode}, no error), failed otherwise.
     * A node without a pinned host key gets the one it presented.
     * Ending an ended run changes nothing (the agent may send its result twice).
     */
    @Transactional
    public ScriptRun finish(long runId, Integer exitCode, String error, String hostKey) {
        ScriptRunStatus status = exitCode != null && error == null ? ScriptRunStatus.DONE : ScriptRunStatus.FAILED;
        transition(runId, status, ", exit_code = ?, error = ?, host_key = ?", exitCode, error, hostKey);
        ScriptRun run = get(runId);
        if (hostKey != null) {
            jdbc.sql("UPDATE localnodes SET host_key = ? WHERE id = ? AND host_key IS NULL")
                    .params(hostKey, run.nodeId())
                    .update();
        }
        return run;
    }

    /** Fails runs that stayed running this long after their timeout: their agent stopped reporting. */
    public int failStale(java.time.Duration grace) {
        List<ScriptRun> running = jdbc.sql("SELECT * FROM script_runs WHERE status = ?")
                .param(ScriptRunStatus.RUNNING.wireName())
                .query(ScriptRunStore::map)
                .list();
        int failed = 0;
        for (ScriptRun run : running) {
            if (run.startedAt() != null
                    && run.startedAt()
                            .plusSeconds(run.timeoutSeconds())
                            .plus(grace)
                            .isBefore(clock.instant())) {
                if (transition(
                        run.id(),
                        ScriptRunStatus.FAILED,
                        ", error = ?",
                        "the distributor stopped reporting on this run")) {
                    failed++; // another replica's sweep may have failed it first
                }
            }
        }
        return failed;
    }

    public Output output(long runId, int stdoutOffset, int stderrOffset) {
        ScriptRun run = get(runId);
        return new Output(
                slice(run.stdout(), stdoutOffset),
                slice(run.stderr(), stderrOffset),
                Math.max(stdoutOffset, run.stdout().length()),
                Math.max(stderrOffset, run.stderr().length()),
                run.status(),
                run.exitCode());
    }

    public Optional<String> hostKey(long nodeId) {
        return jdbc.sql("SELECT host_key FROM localnodes WHERE id = ?")
                .param(nodeId)
                .query((rs, i) -> Optional.ofNullable(rs.getString("host_key")))
                .optional()
                .orElseThrow(() -> ProblemException.notFound("localnode " + nodeId + " does not exist"));
    }

    public void forgetHostKey(long nodeId) {
        if (jdbc.sql("UPDATE localnodes SET host_key = NULL WHERE id = ?")
                        .param(nodeId)
                        .update()
                == 0) {
            throw ProblemException.notFound("localnode " + nodeId + " does not exist");
        }
    }

    /**
     * The one place where a run's status changes. The update applies only while the run is in a status
     * the transition table lets move to {@code to} ({@link ScriptRunStatus#movingTo}), so concurrent
     * changes cannot both win; it records when the change happened ({@code started_at} for running,
     * {@code finished_at} for done or failed) and sets the {@code moreColumns} given (", column = ?"
     * each, with their values) in the same statement.
     *
     * @return false when the run is in no status that may become {@code to} (or does not exist)
     */
    private boolean transition(long runId, ScriptRunStatus to, String moreColumns, Object... moreValues) {
        return STATUS.transition(jdbc, to, now(), moreColumns, Arrays.asList(moreValues), "id = ?", runId);
    }

    private static String slice(String text, int offset) {
        return offset >= text.length() ? "" : text.substring(offset);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static ScriptRun map(ResultSet rs, int row) throws SQLException {
        return new ScriptRun(
                rs.getLong("id"),
                rs.getLong("node_id"),
                rs.getObject("distributor_id") == null ? null : rs.getLong("distributor_id"),
                rs.getString("status"),
                rs.getString("ssh_user"),
                rs.getString("ip"),
                rs.getString("script"),
                rs.getInt("timeout_seconds"),
                rs.getObject("exit_code") == null ? null : rs.getInt("exit_code"),
                rs.getString("stdout"),
                rs.getString("stderr"),
                rs.getBoolean("stdout_truncated"),
                rs.getBoolean("stderr_truncated"),
                rs.getString("error"),
                rs.getString("host_key"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"));
    }
}
