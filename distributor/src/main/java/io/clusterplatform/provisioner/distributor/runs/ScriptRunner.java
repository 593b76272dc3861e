package io.clusterplatform.provisioner.distributor.runs;

import io.clusterplatform.provisioner.core.distributors.protocol.CommandResult;
import io.clusterplatform.provisioner.core.jobs.RetryBackoff;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server's script runs on nodes through a {@link NodeShell}, each on a thread of its own so
 * the command loop goes on: takes the run once (a second delivery of its command does not run the
 * script again), streams its output to the server while it runs, and reports how it ended, retrying
 * while the server is away. The private key lives only in memory, for the run.
 */
public final class ScriptRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);
    private static final RetryBackoff RETRIES = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** How long the end of a run is retried while the server is away. */
    private static final Duration REPORT_FOR = Duration.ofMinutes(30);

    private final ServerLink link;
    private final NodeShell shell;
    private final ExecutorService runs = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("script-run-", 1).factory());

    public ScriptRunner(ServerLink link, NodeShell shell) {
        this.link = link;
        this.shell = shell;
    }

    /** Takes run {@code runId} and starts it; the result says so (or why not) for the command's ack. */
    public CommandResult start(long distributorId, long runId) {
        ServerLink.RunTicket ticket;
        try {
            ticket = link.startRun(distributorId, runId);
        } catch (ServerLink.Refused e) {
            if (e.status() == 409) {
                return CommandResult.done(
                        "run " + runId + " was taken by an earlier delivery of this command;" + " it is not run twice");
            }
            return CommandResult.failed("cannot take run " + runId + ": " + e.getMessage());
        } catch (IOException e) {
            return CommandResult.failed("cannot take run " + runId + ": " + e.getMessage());
        }
        runs.submit(() -> execute(distributorId, ticket));
        return CommandResult.done("run " + runId + " started: " + ticket.user() + "@" + ticket.ip() + ":"
                + ticket.port() + ", timeout " + ticket.timeoutSeconds() + " s");
    }

    private void execute(long distributorId, ServerLink.RunTicket ticket) {
        log.info("script run {}: {}@{}:{}", ticket.runId(), ticket.user(), ticket.ip(), ticket.port());
        ShellResult result;
        try (RunOutput output = new RunOutput(link, distributorId, ticket.runId())) {
            result = shell.run(
                    new SshTarget(
                            ticket.ip(), ticket.port(), ticket.user(), ticket.privateKey(), ticket.pinnedHostKey()),
                    ticket.script(),
                    Duration.ofSeconds(ticket.timeoutSeconds()),
                    output);
        } catch (RuntimeException e) {
            log.error("script run {} failed", ticket.runId(), e);
            result = ShellResult.failed(null, "the distributor failed to run it: " + e.getMessage());
        }
        log.info(
                "script run {} ended: {}",
                ticket.runId(),
                result.error() == null ? "exit code " + result.exitCode() : result.error());
        report(distributorId, ticket.runId(), result);
    }

    private void report(long distributorId, long runId, ShellResult result) {
        long deadline = System.nanoTime() + REPORT_FOR.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                link.finishRun(distributorId, runId, result.exitCode(), result.error(), result.hostKey());
                return;
            } catch (ServerLink.Refused e) {
                log.error("the server refused the end of run {}: {}", runId, e.getMessage());
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    log.error("gave up reporting the end of run {}: {}", runId, e.getMessage());
                    return;
                }
                sleep(RETRIES.delayAfter(attempt));
            }
        }
    }

    static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        runs.shutdownNow();
        shell.close();
    }
}
