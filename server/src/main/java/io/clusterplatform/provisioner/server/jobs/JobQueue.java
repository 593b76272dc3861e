package io.clusterplatform.provisioner.server.jobs;

import static io.clusterplatform.provisioner.core.jobs.JobStatus.CANCELLED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.DONE;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.FAILED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.QUEUED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.WORKING;

import io.clusterplatform.provisioner.core.jobs.RetryBackoff;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable job queue: everything that takes time is a job row that survives restarts and that
 * any server process sharing the database may run.
 *
 * <p>Producers {@link #enqueue} (inside their own transaction, if they have one). Workers
 * {@link #claim} a job, which holds it under their owner id with a lease they keep renewing; they
 * report {@link #progress}, {@link #appendLog lines} and finally {@link #complete} or {@link #fail}.
 * Every report names the owner and is refused ({@link JobNotHeldException}) when that owner no
 * longer holds the job, so a worker whose lease expired (and whose job was {@link
 * #recoverExpiredLeases recovered} and maybe claimed by another worker) cannot act on it any more.
 *
 * <p>Status changes go through {@link JobStore#transition} only: it checks the transition table of
 * {@link io.clusterplatform.provisioner.core.jobs.JobStatus}, updates optimistically and writes the
 * event. Time comes from the injected clock.
 */
@Service
public class JobQueue {
    private static final Logger logger = LoggerFactory.getLogger(JobQueue.class);
    private static final int MAX_KIND_LENGTH = 100;
    private static final int MAX_ATTEMPTS_LIMIT = 100;
    private static final int CONFLICT_RETRIES = 20;
    private static final int RECOVERY_BATCH = 100;

    private final JobStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration lease;
    private final RetryBackoff backoff;
    private final List<Runnable> queuedListeners = new CopyOnWriteArrayList<>();

    public JobQueue(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock, JobSettings settings) {
        this.store = new JobStore(jdbc);
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.lease = settings.lease();
        this.backoff = settings.backoff();
    }

    /** How long a claim holds a job without a heartbeat. */
    public Duration lease() {
        return lease;
    }

    /**
     * Queues a job; it runs as soon as a worker with a handler for its kind is free. Joins the
     * caller's transaction, so a producer can store its request and queue its job atomically.
     *
     * @param subjectId the artifact row the job builds, or null
     * @param maxAttempts how often the job may be tried (1 = never retried)
     */
    public Job enqueue(String kind, Long subjectId, int maxAttempts) {
        if (kind == null || kind.isBlank() || kind.length() > MAX_KIND_LENGTH) {
            throw new IllegalArgumentException(
                    "a job kind must be 1 to " + MAX_KIND_LENGTH + " characters, got '" + kind + "'");
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException(
                    "max attempts must be 1 to " + MAX_ATTEMPTS_LIMIT + ", got " + maxAttempts);
        }
        Job job = tx.execute(status -> {
            long id = store.insert(kind, subjectId, maxAttempts, clock.instant());
            return store.find(id).orElseThrow();
        });
        tellQueuedWhenCommitted();
        return job;
    }

    /**
     * Calls {@code listener} (on the producer's thread, so it must only hand over) each time a job
     * was queued, once the job is committed: a worker of this process claims it at once instead of
     * at its next poll. Workers of other processes still find it by polling.
     */
    public void whenQueued(Runnable listener) {
        queuedListeners.add(listener);
    }

    public void noLongerWhenQueued(Runnable listener) {
        queuedListeners.remove(listener);
    }

    private void tellQueuedWhenCommitted() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    tellQueued();
                }
            });
        } else {
            tellQueued();
        }
    }

    private void tellQueued() {
        for (Runnable listener : queuedListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                logger.warn("A job queue listener failed; the job is found at the next poll: {}", e.toString());
            }
        }
    }

    public Optional<Job> find(long id) {
        return store.find(id);
    }

    /** The job, or a 404 problem. */
    public Job get(long id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    /** The newest job of this kind for an artifact row, for endpoints that show a row's build status. */
    public Optional<Job> latestFor(String kind, long subjectId) {
        return store.latestFor(kind, subjectId);
    }

    /** The job's log (its last 64 Ki characters), or a 404 problem. */
    public String log(long id) {
        return store.log(id).orElseThrow(() -> notFound(id));
    }

    /** How many jobs are queued or working. */
    public int countInFlight() {
        return store.countInFlight();
    }

    /** The job's status changes, oldest first. */
    public List<JobEvent> events(long id) {
        return store.events(id);
    }

    /**
     * Claims the oldest queued job of one of these kinds whose backoff has passed, and moves it to
     * working under {@code owner} with a fresh lease. Concurrent claimers, in this process or in
     * others sharing the database, never get the same job.
     */
    public Optional<Job> claim(String owner, Collection<String> kinds) {
        requireOwner(owner);
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        return tx.execute(status -> {
            Instant now = clock.instant();
            Optional<Job> candidate = store.lockNextClaimable(kinds, now);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            Job job = candidate.get();
            String attempt = "attempt " + (job.attempts() + 1) + " of " + job.maxAttempts();
            Job.Next next = job.moveTo(WORKING)
                    .heldBy(owner, now.plus(lease))
                    .attempts(job.attempts() + 1)
                    .cancelRequested(false)
                    .progress(0, "started (" + attempt + ")")
                    .event("claimed by " + owner + " (" + attempt + ")")
                    .log(line(now, attempt + " started on " + owner));
            // the row is locked by this transaction, so nobody can have changed it in between
            return store.transition(next, now) ? store.find(job.id()) : Optional.<Job>empty();
        });
    }

    /** Renews the lease of every job {@code owner} holds (its heartbeat); returns how many it holds. */
    public int renewLeases(String owner) {
        requireOwner(owner);
        return store.renewLeases(owner, clock.instant().plus(lease));
    }

    /** The ids of the jobs {@code owner} holds, each with whether an operator asked to cancel it. */
    public Map<Long, Boolean> held(String owner) {
        requireOwner(owner);
        return store.held(owner);
    }

    /**
     * Reports progress of a held job. Progress only moves forward: a smaller percentage than the
     * stored one is ignored (the same percentage with a new message is taken).
     *
     * @throws JobNotHeldException when {@code owner} no longer holds the job
     */
    public void progress(long id, String owner, int percent, String message) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress is a percentage from 0 to 100, got " + percent);
        }
        if (!store.progress(id, owner, percent, message, clock.instant())) {
            requireHeld(get(id), owner);
        }
    }

    /**
     * Appends a line to the log of a held job; only the last 64 Ki characters of a log are kept.
     *
     * @throws JobNotHeldException when {@code owner} no longer holds the job
     */
    public void appendLog(long id, String owner, String line) {
        if (!store.appendLog(id, owner, line(clock.instant(), line))) {
            throw new JobNotHeldException(get(id), owner);
        }
    }

    /**
     * The held job finished: it becomes done, or cancelled if an operator asked for that while it ran.
     *
     * @throws JobNotHeldException when {@code owner} no longer holds the job
     */
    public Job complete(long id, String owner) {
        return change(id, (job, now) -> {
            requireHeld(job, owner);
            if (job.cancelRequested()) {
                return job.moveTo(CANCELLED)
                        .released()
                        .finishedAt(now)
                        .event("cancelled: a cancel was requested while " + owner + " ran it; its result is discarded")
                        .log(line(now, "cancelled; the finished result is discarded"));
            }
            return job.moveTo(DONE)
                    .released()
                    .finishedAt(now)
                    .error(null)
                    .progress(100, "done")
                    .event("done by " + owner + " (attempt " + job.attempts() + " of " + job.maxAttempts() + ")")
                    .log(line(now, "done"));
        });
    }

    /**
     * The held job's attempt failed. A retryable failure queues the job again after a backoff while
     * attempts are left; otherwise the job fails for good. The error is kept either way (and the
     * log). A job whose cancel was requested ends cancelled.
     *
     * @throws JobNotHeldException when {@code owner} no longer holds the job
     */
    public Job fail(long id, String owner, String error, boolean retryable) {
        String reason = error == null || error.isBlank() ? "failed without a message" : error.strip();
        return change(id, (job, now) -> {
            requireHeld(job, owner);
            String attempt = "attempt " + job.attempts() + " of " + job.maxAttempts();
            if (job.cancelRequested()) {
                return job.moveTo(CANCELLED)
                        .released()
                        .finishedAt(now)
                        .error(reason)
                        .event("cancelled on request; " + attempt + " stopped: " + reason)
                        .log(line(now, "cancelled; " + attempt + " stopped: " + reason));
            }
            if (retryable && job.attempts() < job.maxAttempts()) {
                Duration delay = backoff.delayAfter(job.attempts());
                Instant next = now.plus(delay);
                String message = attempt + " failed: " + reason + "; next attempt in " + human(delay);
                return job.moveTo(QUEUED)
                        .released()
                        .runAfter(next)
                        .error(reason)
                        .progress(0, attempt + " failed; next attempt at " + next.truncatedTo(ChronoUnit.SECONDS))
                        .event(message)
                        .log(line(now, message));
            }
            String message = attempt + " failed: " + reason + (retryable ? "; no attempts left" : "; not retried");
            return job.moveTo(FAILED)
                    .released()
                    .finishedAt(now)
                    .error(reason)
                    .event(message)
                    .log(line(now, message));
        });
    }

    /**
     * Hands a held job back to the queue without counting the attempt, for a worker that stops
     * before its handler finished. Does nothing when the owner no longer holds the job.
     */
    public Job release(long id, String owner, String reason) {
        return change(id, (job, now) -> {
            if (!job.isHeldBy(owner)) {
                return null;
            }
            if (job.cancelRequested()) {
                return job.moveTo(CANCELLED)
                        .released()
                        .finishedAt(now)
                        .event("cancelled: " + owner + " stopped (" + reason + ") after a cancel was requested")
                        .log(line(now, "cancelled: " + reason));
            }
            return job.moveTo(QUEUED)
                    .released()
                    .runAfter(now)
                    .attempts(job.attempts() - 1)
                    .progress(0, "queued again: " + reason)
                    .event("handed back by " + owner + ": " + reason)
                    .log(line(now, "handed back to the queue: " + reason));
        });
    }

    /**
     * Cancels a job: a queued job is cancelled at once; a working job is flagged, its handler sees
     * the flag and the job ends cancelled. Cancelling a cancelled job changes nothing; a done or
     * failed job cannot be cancelled (409).
     */
    public Job cancel(long id) {
        return retrying(id, now -> {
            Job job = get(id);
            switch (job.status()) {
                case QUEUED -> {
                    Job.Next next = job.moveTo(CANCELLED)
                            .finishedAt(now)
                            .event("cancelled while queued")
                            .log(line(now, "cancelled while queued"));
                    return store.transition(next, now) ? store.find(id) : Optional.empty();
                }
                case WORKING -> {
                    if (!job.cancelRequested()) {
                        if (!store.requestCancel(id, now)) {
                            return Optional.empty();
                        }
                        store.appendLog(id, line(now, "cancel requested; waiting for the running attempt to stop"));
                    }
                    return store.find(id);
                }
                case CANCELLED -> {
                    return Optional.of(job);
                }
                default ->
                    throw ProblemException.conflict("job " + id + " is already "
                            + job.status().wireName() + "; only queued or working jobs can be cancelled");
            }
        });
    }

    /**
     * Takes back working jobs whose lease expired (their worker died or lost the database): each
     * goes back to the queue to run again, or fails if it has used all its attempts, or ends
     * cancelled if a cancel was requested. The worker that lost it can no longer report on it.
     *
     * @return the jobs taken back, as they are now
     */
    public List<Job> recoverExpiredLeases() {
        List<Job> recovered = new ArrayList<>();
        while (true) {
            List<Long> expired = store.expiredLeases(clock.instant(), RECOVERY_BATCH);
            int before = recovered.size();
            for (long id : expired) {
                recoverIfExpired(id).ifPresent(recovered::add);
            }
            if (expired.size() < RECOVERY_BATCH || recovered.size() == before) {
                return recovered;
            }
        }
    }

    private Optional<Job> recoverIfExpired(long id) {
        Changed changed = changed(id, (job, now) -> {
            if (job.status() != WORKING || !job.leaseUntil().isBefore(now)) {
                return null; // it finished or was renewed in the meantime
            }
            String lost = "its worker " + job.owner() + " stopped renewing its lease (expired "
                    + job.leaseUntil().truncatedTo(ChronoUnit.SECONDS) + ")";
            String attempt = "attempt " + job.attempts() + " of " + job.maxAttempts();
            if (job.cancelRequested()) {
                return job.moveTo(CANCELLED)
                        .released()
                        .finishedAt(now)
                        .event("cancelled: " + lost + " after a cancel was requested")
                        .log(line(now, "cancelled: " + lost));
            }
            if (job.attempts() >= job.maxAttempts()) {
                String error = attempt + " was lost: " + lost;
                return job.moveTo(FAILED)
                        .released()
                        .finishedAt(now)
                        .error(error)
                        .event(error + "; no attempts left")
                        .log(line(now, error + "; no attempts left"));
            }
            return job.moveTo(QUEUED)
                    .released()
                    .runAfter(now)
                    .progress(0, "queued again: " + lost)
                    .event(attempt + " was lost: " + lost + "; queued again")
                    .log(line(now, attempt + " was lost: " + lost + "; queued again"));
        });
        return changed.changed() ? Optional.of(changed.job()) : Optional.empty();
    }

    /** How many queued jobs wait for each kind not among {@code kinds} (kinds this worker cannot run). */
    public Map<String, Long> queuedKindsOtherThan(Collection<String> kinds) {
        return store.queuedKindsOtherThan(kinds);
    }

    private record Changed(Job job, boolean changed) {}

    private Job change(long id, BiFunction<Job, Instant, Job.Next> rule) {
        return changed(id, rule).job();
    }

    /**
     * Reads the job, lets the rule decide its next state (null: leave it) and stores it through
     * {@link JobStore#transition}; if the job's status changed in between, reads it again and lets
     * the rule decide again.
     */
    private Changed changed(long id, BiFunction<Job, Instant, Job.Next> rule) {
        boolean[] changed = {false};
        Job job = retrying(id, now -> {
            Job current = get(id);
            Job.Next next = rule.apply(current, now);
            if (next == null) {
                return Optional.of(current);
            }
            if (!store.transition(next, now)) {
                return Optional.empty();
            }
            changed[0] = true;
            return store.find(id);
        });
        return new Changed(job, changed[0]);
    }

    /** Runs the attempt in a transaction until it gives an answer (empty: lost a race, try again). */
    private Job retrying(long id, Function<Instant, Optional<Job>> attempt) {
        for (int i = 0; i < CONFLICT_RETRIES; i++) {
            Optional<Job> result = tx.execute(status -> attempt.apply(clock.instant()));
            if (result != null && result.isPresent()) {
                return result.get();
            }
        }
        throw new IllegalStateException("job " + id + " kept changing while it was being updated; try again");
    }

    private static void requireHeld(Job job, String owner) {
        if (!job.isHeldBy(owner)) {
            throw new JobNotHeldException(job, owner);
        }
    }

    private static void requireOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("a worker needs an owner id");
        }
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("job " + id + " does not exist");
    }

    /** A log line: the time, the text, one newline. */
    private static String line(Instant now, String text) {
        String body = text == null ? "" : text.stripTrailing();
        return now.truncatedTo(ChronoUnit.MILLIS) + " " + body + "\n";
    }

    private static String human(Duration duration) {
        return duration.truncatedTo(ChronoUnit.MILLIS).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
