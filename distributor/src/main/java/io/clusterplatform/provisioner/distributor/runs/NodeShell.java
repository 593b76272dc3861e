package io.clusterplatform.provisioner.distributor.runs;

import java.time.Duration;

/**
 * Runs a script on a node as a user of the node (SSH behind it in the product, {@link SshNodeShell}).
 * Nothing about a run is kept on disk: keys arrive with the {@link SshTarget} and are only held in
 * memory, and the node's host key comes back in the {@link ShellResult} for the caller to pin.
 */
public interface NodeShell extends AutoCloseable {
    /** Receives the script's output as it arrives, from the shell's own threads; decoded as UTF-8. */
    interface OutputSink {
        void stdout(String chunk);

        void stderr(String chunk);
    }

    /**
     * Runs {@code script} on the target and returns when it ended, failed to start or ran out of
     * {@code timeout} (then it is stopped). Never throws for a problem of the node, the key or the
     * script: those end up in {@link ShellResult#error()}, in words for the operator.
     */
    ShellResult run(SshTarget target, String script, Duration timeout, OutputSink sink);

    @Override
    void close();
}
