package io.clusterplatform.provisioner.server.jobs;

/**
 * A handler's way to say how a failure should be treated. Any other exception a handler throws is
 * retried (with backoff, up to the job's {@code maxAttempts}), because most failures of a build
 * (a download, a busy tool) go away; a {@link #permanent} failure fails the job at once.
 */
public class JobFailedException extends RuntimeException {
    private final boolean retryable;

    private JobFailedException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A failure that will not go away by trying again, e.g. the artifact's request names a missing script. */
    public static JobFailedException permanent(String message) {
        return new JobFailedException(message, false, null);
    }

    public static JobFailedException permanent(String message, Throwable cause) {
        return new JobFailedException(message, false, cause);
    }

    /** A failure that may go away, e.g. a download timed out. */
    public static JobFailedException retryable(String message) {
        return new JobFailedException(message, true, null);
    }

    public static JobFailedException retryable(String message, Throwable cause) {
        return new JobFailedException(message, true, cause);
    }

    public boolean retryable() {
        return retryable;
    }
}
