package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.core.jobs.JobStatus;
import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * The SQL of the job queue; the same statements run on H2 (PostgreSQL mode) and PostgreSQL.
 * {@link #transition} is the only statement that changes a job's status. Methods run in the
 * caller's transaction: {@link JobQueue} opens one for each operation.
 */
final class JobStore {
    /** How much of a job's log is kept: its last 64 Ki characters. */
    static final int LOG_LIMIT = 64 * 1024;

    private static final String COLUMNS = "id, kind, subject_id, status, progress, progress_message, attempts,"
            + " max_attempts, run_after, owner, lease_until, cancel_requested, error, created_at, updated_at,"
            + " finished_at, version";

    /**
     * The oldest queued job of the given kinds whose backoff has passed, locked for this transaction.
     * SKIP LOCKED lets concurrent claimers (threads or server processes) pass over a row another one
     * is claiming instead of waiting for it, so each claims a different job.
     */
    static final String CLAIM_SQL = "SELECT " + COLUMNS + " FROM jobs"
            + " WHERE status = 'queued' AND run_after <= :now AND kind IN (:kinds)"
            + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED";

    private static final String APPEND_LOG =
            "UPDATE jobs SET log = RIGHT(COALESCE(log, '') || :text, " + LOG_LIMIT + ")";

    private final JdbcClient jdbc;

    JobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String kind, Long subjectId, int maxAttempts, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO jobs (kind, subject_id, status, progress, attempts, max_attempts, run_after,"
                        + " cancel_requested, created_at, updated_at, version)"
                        + " VALUES (:kind, :subjectId, 'queued', 0, 0, :maxAttempts, :now, FALSE, :now, :now, 0)")
                .param("kind", kind)
                .param("subjectId", subjectId)
                .param("maxAttempts", maxAttempts)
                .param("now", utc(now))
                .update(keys, "id");
        long id = keys.getKeyAs(Number.class).longValue();
        insertEvent(id, now, null, JobStatus.QUEUED, null, "queued");
        return id;
    }

    Optional<Job> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")
                .param(id)
                .query(JobStore::map)
                .optional();
    }

    Optional<Job> latestFor(String kind, long subjectId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND subject_id = ? ORDER BY id DESC LIMIT 1")
                .params(kind, subjectId)
                .query(JobStore::map)
                .optional();
    }

    Optional<String> log(long id) {
        return jdbc.sql("SELECT log FROM jobs WHERE id = ?")
                .param(id)
                .query((rs, row) -> Optional.ofNullable(rs.getString("log")).orElse(""))
                .optional();
    }

    /** How many jobs are queued or working (the dashboard's "builds in flight"). */
    int countInFlight() {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'working')")
                .query(Integer.class)
                .single();
    }

    List<JobEvent> events(long jobId) {
        return jdbc.sql("SELECT id, job_id, at, from_status, to_status, owner, message FROM job_events"
                        + " WHERE job_id = ? ORDER BY id")
                .param(jobId)
                .query((rs, row) -> new JobEvent(
                        rs.getLong("id"),
                        rs.getLong("job_id"),
                        Rows.instant(rs, "at"),
                        rs.getString("from_status") == null ? null : status(rs.getString("from_status")),
                        status(rs.getString("to_status")),
                        rs.getString("owner"),
                        rs.getString("message")))
                .list();
    }

    /** See {@link #CLAIM_SQL}; must run in the transaction that then moves the job to working. */
    Optional<Job> lockNextClaimable(Collection<String> kinds, Instant now) {
        return jdbc.sql(CLAIM_SQL)
                .param("now", utc(now))
                .param("kinds", kinds)
                .query(JobStore::map)
                .optional();
    }

    /**
     * The one place where a job's status changes. Checks the transition table, writes the new row
     * only if nobody changed the job's status since it was read ({@code WHERE id = ? AND version = ?}),
     * and records the change in {@code job_events} (and the change's log line, if any) in the same
     * transaction.
     *
     * @return false when the job changed in between (the caller reads it again and decides anew)
     * @throws io.clusterplatform.provisioner.core.jobs.IllegalJobTransitionException when the table forbids the change
     */
    boolean transition(Job.Next next, Instant now) {
        Job from = next.from;
        from.status().checkMoveTo(next.to);
        int updated = jdbc.sql(
                        "UPDATE jobs SET status = :to, progress = :progress, progress_message = :progressMessage,"
                                + " attempts = :attempts, run_after = :runAfter, owner = :owner, lease_until = :leaseUntil,"
                                + " cancel_requested = :cancelRequested, error = :error, finished_at = :finishedAt,"
                                + " updated_at = :now, version = version + 1"
                                + " WHERE id = :id AND version = :version AND status = :from")
                .param("to", next.to.wireName())
                .param("progress", next.progress)
                .param("progressMessage", truncate(next.progressMessage, 500))
                .param("attempts", next.attempts)
                .param("runAfter", utc(next.runAfter))
                .param("owner", next.owner)
                .param("leaseUntil", utc(next.leaseUntil))
                .param("cancelRequested", next.cancelRequested)
                .param("error", truncate(next.error, 4000))
                .param("finishedAt", utc(next.finishedAt))
                .param("now", utc(now))
                .param("id", from.id())
                .param("version", from.version())
                .param("from", from.status().wireName())
                .update();
        if (updated == 0) {
            return false;
        }
        insertEvent(from.id(), now, from.status(), next.to, next.owner != null ? next.owner : from.owner(), next.event);
        if (next.logLine != null) {
            appendLog(from.id(), next.logLine);
        }
        return true;
    }

    /** Moves progress forward only; false when the owner does not hold the job or progress would go back. */
    boolean progress(long id, String owner, int percent, String message, Instant now) {
        return jdbc.sql("UPDATE jobs SET progress = :percent, progress_message = :message, updated_at = :now"
                                + " WHERE id = :id AND owner = :owner AND status = 'working' AND progress <= :percent")
                        .param("percent", percent)
                        .param("message", truncate(message, 500))
                        .param("now", utc(now))
                        .param("id", id)
                        .param("owner", owner)
                        .update()
                == 1;
    }

    /** Appends to the log of a job the owner holds; false when it does not hold it. */
    boolean appendLog(long id, String owner, String text) {
        return jdbc.sql(APPEND_LOG + " WHERE id = :id AND owner = :owner AND status = 'working'")
                        .param("text", text)
                        .param("id", id)
                        .param("owner", owner)
                        .update()
                == 1;
    }

    /** Appends to a job's log on behalf of the queue itself. */
    void appendLog(long id, String text) {
        jdbc.sql(APPEND_LOG + " WHERE id = :id")
                .param("text", text)
                .param("id", id)
                .update();
    }

    /** Flags a working job for cancellation (not a status change: its handler ends it); false if not working. */
    boolean requestCancel(long id, Instant now) {
        return jdbc.sql("UPDATE jobs SET cancel_requested = TRUE, updated_at = ? WHERE id = ? AND status = 'working'")
                        .params(utc(now), id)
                        .update()
                == 1;
    }

    /** Renews the leases of all jobs the owner holds; returns how many. */
    int renewLeases(String owner, Instant until) {
        return jdbc.sql("UPDATE jobs SET lease_until = ? WHERE owner = ? AND status = 'working'")
                .params(utc(until), owner)
                .update();
    }

    /** The jobs the owner holds, each with whether it was asked to cancel. */
    Map<Long, Boolean> held(String owner) {
        Map<Long, Boolean> held = new LinkedHashMap<>();
        jdbc.sql("SELECT id, cancel_requested FROM jobs WHERE owner = ? AND status = 'working' ORDER BY id")
                .param(owner)
                .query(rs -> {
                    held.put(rs.getLong("id"), rs.getBoolean("cancel_requested"));
                });
        return held;
    }

    List<Long> expiredLeases(Instant now, int limit) {
        return jdbc.sql(
                        "SELECT id FROM jobs WHERE status = 'working' AND lease_until < ? ORDER BY lease_until, id LIMIT ?")
                .params(utc(now), limit)
                .query(Long.class)
                .list();
    }

    /** How many queued jobs wait for each kind that is not among {@code kinds}. */
    Map<String, Long> queuedKindsOtherThan(Collection<String> kinds) {
        String sql = "SELECT kind, COUNT(*) AS waiting FROM jobs WHERE status = 'queued'"
                + (kinds.isEmpty() ? "" : " AND kind NOT IN (:kinds)") + " GROUP BY kind ORDER BY kind";
        JdbcClient.StatementSpec statement = jdbc.sql(sql);
        if (!kinds.isEmpty()) {
            statement = statement.param("kinds", kinds);
        }
        Map<String, Long> waiting = new LinkedHashMap<>();
        statement.query(rs -> {
            waiting.put(rs.getString("kind"), rs.getLong("waiting"));
        });
        return waiting;
    }

    private void insertEvent(long jobId, Instant at, JobStatus from, JobStatus to, String owner, String message) {
        jdbc.sql(
                        "INSERT INTO job_events (job_id, at, from_status, to_status, owner, message) VALUES (?, ?, ?, ?, ?, ?)")
                .params(
                        jobId,
                        utc(at),
                        from == null ? null : from.wireName(),
                        to.wireName(),
                        owner,
                        truncate(message, 4000))
                .update();
    }

    private static Job map(ResultSet rs, int row) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("kind"),
                rs.getObject("subject_id", Long.class),
                status(rs.getString("status")),
                rs.getInt("progress"),
                rs.getString("progress_message"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                Rows.instant(rs, "run_after"),
                rs.getString("owner"),
                Rows.instant(rs, "lease_until"),
                rs.getBoolean("cancel_requested"),
                rs.getString("error"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"),
                Rows.instant(rs, "finished_at"),
                rs.getLong("version"));
    }

    private static JobStatus status(String wireName) {
        return JobStatus.fromWireName(wireName)
                .orElseThrow(() -> new IllegalStateException("unknown job status in the database: " + wireName));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max - 1) + "…";
    }
}
