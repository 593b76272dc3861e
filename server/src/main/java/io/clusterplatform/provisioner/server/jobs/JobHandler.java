package io.clusterplatform.provisioner.server.jobs;

import java.util.Objects;

/**
 * Runs the jobs of one kind. Handlers are Spring beans; the worker finds them by {@link #kind()}.
 *
 * <p>{@link #run} returning normally completes the job. Throwing fails the attempt: a {@link
 * JobFailedException#permanent permanent} failure fails the job, anything else is retried with
 * backoff while attempts are left. A handler reports milestones with {@link JobContext#progress},
 * which also throws {@link JobCancelledException} when the job should stop; long steps between
 * milestones should look at {@link JobContext#isCancelled()}.
 *
 * <p>An attempt may run again elsewhere after its worker lost the job (a lease that expired while
 * the process was stalled), so a handler writes its results where a second attempt cannot clash
 * with it, and makes them visible only after its last {@link JobContext#progress} succeeded.
 */
public interface JobHandler {

    /** The kind of job this handler runs, e.g. {@code ipxe-build}. */
    String kind();

    void run(JobContext context) throws Exception;

    /** The body of a handler, for {@link #of}. */
    @FunctionalInterface
    interface Body {
        void run(JobContext context) throws Exception;
    }

    /** A handler made of a kind and a lambda. */
    static JobHandler of(String kind, Body body) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
        return new JobHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void run(JobContext context) throws Exception {
                body.run(context);
            }

            @Override
            public String toString() {
                return "JobHandler[" + kind + "]";
            }
        };
    }
}
