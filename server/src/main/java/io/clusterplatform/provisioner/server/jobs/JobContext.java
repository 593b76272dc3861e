package io.clusterplatform.provisioner.server.jobs;

/** What a {@link JobHandler} knows about the job it runs, and how it reports. */
public interface JobContext {

    long jobId();

    String kind();

    /** The artifact row the job builds, or null. */
    Long subjectId();

    /** Which attempt this is, starting at 1. */
    int attempt();

    int maxAttempts();

    /**
     * Reports a milestone (0-100; a smaller value than the last one is ignored).
     *
     * @throws JobCancelledException when the job was cancelled or this worker lost it: stop working
     */
    void progress(int percent, String message);

    /** Appends a line to the job's log (what an operator reads with {@code GET /api/jobs/{id}/log}). */
    void log(String line);

    /** Whether the job should stop: an operator cancelled it, or this worker lost it. */
    boolean isCancelled();

    /**
     * Returns when the job may go on.
     *
     * @throws JobCancelledException when it should stop
     */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new JobCancelledException("job " + jobId() + " was cancelled");
        }
    }
}
