package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.core.problems.ProblemException;

/**
 * A worker tried to report on a job it no longer holds: its lease expired and the job was queued
 * again (maybe claimed by another worker), or the job already ended. The report is refused so that
 * two workers never act on one job.
 */
public class JobNotHeldException extends ProblemException {
    private final long jobId;

    JobNotHeldException(Job job, String owner) {
        super(
                409,
                "Conflict",
                "job " + job.id() + " is not held by " + owner + ": it is "
                        + job.status().wireName() + (job.owner() == null ? "" : " and held by " + job.owner()));
        this.jobId = job.id();
    }

    public long jobId() {
        return jobId;
    }
}
