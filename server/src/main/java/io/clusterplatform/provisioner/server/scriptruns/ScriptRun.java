package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.core.scriptruns.ScriptRunStatus;
import java.time.Instant;

/**
 * A script run on a localnode over SSH, as operators see it (never with a private key). Status (the
 * wire name of a {@link ScriptRunStatus}, as the API shows it; {@link #state} is the same as the
 * enum): queued (waiting for the distributor), running, done (the script exited: see {@code
 * exitCode}) or failed (it could not run to its end: see {@code error}). stdout and stderr keep at most {@link
 * ScriptRunStore#MAX_OUTPUT} characters each; {@code ...Truncated} says when more was cut.
 */
public record ScriptRun(
        long id,
        long nodeId,
        Long distributorId,
        String status,
        String user,
        String ip,
        String script,
        int timeoutSeconds,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        String error,
        String hostKey,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    /**
     * The run as operators are shown it: tokens in the script (a localnode's mesh join carries its join
     * token) cut to their public prefix. The agent that runs it gets the script whole.
     */
    public ScriptRun redacted() {
        return new ScriptRun(
                id,
                nodeId,
                distributorId,
                status,
                user,
                ip,
                TokenKind.redact(script),
                timeoutSeconds,
                exitCode,
                stdout,
                stderr,
                stdoutTruncated,
                stderrTruncated,
                error,
                hostKey,
                createdAt,
                startedAt,
                finishedAt);
    }

    /** The status as a {@link ScriptRunStatus}. */
    public ScriptRunStatus state() {
        return ScriptRunStatus.ofWireName(status);
    }

    public boolean finished() {
        return state().isFinal();
    }
}
