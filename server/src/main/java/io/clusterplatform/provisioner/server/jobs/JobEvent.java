package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.core.jobs.JobStatus;
import java.time.Instant;

/**
 * One status change of a job.
 *
 * @param from null for the job's creation
 * @param owner the worker involved (the one that claimed, finished or lost the job), or null
 */
public record JobEvent(long id, long jobId, Instant at, JobStatus from, JobStatus to, String owner, String message) {}
