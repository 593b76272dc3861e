package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.core.jobs.JobStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A job as the API shows it.
 *
 * @param subjectId the artifact row the job builds, or null
 * @param progress 0 to 100, moving through the job's milestones
 * @param attempts how often the job was started so far
 * @param cancelRequested a cancel was asked for while the job was working; it ends cancelled
 * @param error the last failure's message, kept when the job is retried or fails
 */
public record JobResponse(
        long id,
        String kind,
        Long subjectId,

        @Schema(
                type = "string",
                allowableValues = {"queued", "working", "done", "failed", "cancelled"})
        JobStatus status,

        int progress,
        String progressMessage,
        int attempts,
        int maxAttempts,
        boolean cancelRequested,
        String error,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt) {

    public static JobResponse of(Job job) {
        return new JobResponse(
                job.id(),
                job.kind(),
                job.subjectId(),
                job.status(),
                job.progress(),
                job.progressMessage(),
                job.attempts(),
                job.maxAttempts(),
                job.cancelRequested(),
                job.error(),
                job.createdAt(),
                job.updatedAt(),
                job.finishedAt());
    }
}
