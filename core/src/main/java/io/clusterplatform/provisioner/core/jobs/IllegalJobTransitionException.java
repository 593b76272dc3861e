package io.clusterplatform.provisioner.core.jobs;

/** A programming error: something tried a status change the transition table of {@link JobStatus} forbids. */
public class IllegalJobTransitionException extends IllegalStateException {
    private final JobStatus from;
    private final JobStatus to;

    public IllegalJobTransitionException(JobStatus from, JobStatus to) {
        super("a " + from.wireName() + " job cannot become " + to.wireName()
                + (from.isFinal() ? " (" + from.wireName() + " is final)" : "; it may become " + allowed(from)));
        this.from = from;
        this.to = to;
    }

    public JobStatus from() {
        return from;
    }

    public JobStatus to() {
        return to;
    }

    private static String allowed(JobStatus from) {
        return String.join(" or ", from.next().stream().map(JobStatus::wireName).toList());
    }
}
