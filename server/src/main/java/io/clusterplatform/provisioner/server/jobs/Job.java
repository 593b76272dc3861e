package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.core.jobs.JobStatus;
import java.time.Instant;

/**
 * One row of the job queue.
 *
 * @param subjectId the artifact row the job builds, or null
 * @param progress 0 to 100; only moves forward while an attempt runs
 * @param attempts how often the job was claimed, including the running attempt
 * @param runAfter a queued job is not claimed before this time (retry backoff)
 * @param owner the worker holding the job; set exactly while it is working
 * @param leaseUntil until when the owner holds it; heartbeats renew it
 * @param cancelRequested a working job was asked to stop; its handler sees it and the job ends cancelled
 * @param error the last failure, kept when the job is retried or fails
 * @param version bumped by every status change (optimistic locking)
 */
public record Job(
        long id,
        String kind,
        Long subjectId,
        JobStatus status,
        int progress,
        String progressMessage,
        int attempts,
        int maxAttempts,
        Instant runAfter,
        String owner,
        Instant leaseUntil,
        boolean cancelRequested,
        String error,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        long version) {

    /** Whether {@code owner} holds this job now: it is working and the owner's lease was not taken away. */
    public boolean isHeldBy(String owner) {
        return status == JobStatus.WORKING && this.owner != null && this.owner.equals(owner);
    }

    /** A status change from this row, to be completed with the fields that change and stored by the queue. */
    Next moveTo(JobStatus target) {
        return new Next(this, target);
    }

    /**
     * The row after a status change: starts as a copy of the current row with the new status; the
     * queue sets what else changes and hands it to {@link JobStore#transition}.
     */
    static final class Next {
        final Job from;
        final JobStatus to;
        int progress;
        String progressMessage;
        int attempts;
        Instant runAfter;
        String owner;
        Instant leaseUntil;
        boolean cancelRequested;
        String error;
        Instant finishedAt;
        String event;
        String logLine;

        private Next(Job from, JobStatus to) {
            this.from = from;
            this.to = to;
            this.progress = from.progress;
            this.progressMessage = from.progressMessage;
            this.attempts = from.attempts;
            this.runAfter = from.runAfter;
            this.owner = from.owner;
            this.leaseUntil = from.leaseUntil;
            this.cancelRequested = from.cancelRequested;
            this.error = from.error;
            this.finishedAt = from.finishedAt;
        }

        Next progress(int progress, String message) {
            this.progress = progress;
            this.progressMessage = message;
            return this;
        }

        Next attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        Next runAfter(Instant runAfter) {
            this.runAfter = runAfter;
            return this;
        }

        Next heldBy(String owner, Instant leaseUntil) {
            this.owner = owner;
            this.leaseUntil = leaseUntil;
            return this;
        }

        Next released() {
            return heldBy(null, null);
        }

        Next cancelRequested(boolean cancelRequested) {
            this.cancelRequested = cancelRequested;
            return this;
        }

        Next error(String error) {
            this.error = error;
            return this;
        }

        Next finishedAt(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        /** Why the status changed: kept in the job's events. */
        Next event(String message) {
            this.event = message;
            return this;
        }

        /** A line for the job's own log, written with the change. */
        Next log(String line) {
            this.logLine = line;
            return this;
        }
    }
}
