package io.clusterplatform.provisioner.server.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A claimed job while its handler runs on this worker: the {@link JobContext} the handler sees. */
final class RunningJob implements JobContext {
    private static final Logger log = LoggerFactory.getLogger(RunningJob.class);

    private final Job job;
    private final JobQueue queue;
    private final String owner;
    private volatile boolean cancelRequested;
    private volatile String lostBecause;

    RunningJob(Job job, JobQueue queue, String owner) {
        this.job = job;
        this.queue = queue;
        this.owner = owner;
    }

    @Override
    public long jobId() {
        return job.id();
    }

    @Override
    public String kind() {
        return job.kind();
    }

    @Override
    public Long subjectId() {
        return job.subjectId();
    }

    @Override
    public int attempt() {
        return job.attempts();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
    }

    @Override
    public void progress(int percent, String message) {
        checkCancelled();
        try {
            queue.progress(job.id(), owner, percent, message);
        } catch (JobNotHeldException e) {
            lose(e.getMessage());
            throw new JobCancelledException(e.getMessage());
        }
    }

    @Override
    public void log(String line) {
        if (lostBecause != null) {
            log.debug("Job {} is no longer held here; dropped its log line: {}", job.id(), line);
            return;
        }
        try {
            queue.appendLog(job.id(), owner, line);
        } catch (JobNotHeldException e) {
            lose(e.getMessage());
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelRequested || lostBecause != null;
    }

    @Override
    public void checkCancelled() {
        if (lostBecause != null) {
            throw new JobCancelledException("job " + job.id() + " is no longer held by this worker: " + lostBecause);
        }
        if (cancelRequested) {
            throw new JobCancelledException("job " + job.id() + " was cancelled");
        }
    }

    Job job() {
        return job;
    }

    /** An operator asked to cancel the job. */
    void cancelRequested() {
        cancelRequested = true;
    }

    boolean wasCancelRequested() {
        return cancelRequested;
    }

    /** The job was taken away from this worker; nothing the handler does reaches it any more. */
    void lose(String reason) {
        if (lostBecause == null) {
            lostBecause = reason;
        }
    }

    boolean isLost() {
        return lostBecause != null;
    }

    String lostBecause() {
        return lostBecause;
    }
}
