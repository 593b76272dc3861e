package io.clusterplatform.provisioner.server.jobs;

/**
 * Thrown by {@link JobContext} to a handler whose job should stop: an operator cancelled it, or the
 * worker lost the job (its lease expired and the job went back to the queue). Handlers let it
 * propagate; the worker then ends the job as cancelled, or leaves it alone if it was lost.
 */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException(String message) {
        super(message);
    }
}
