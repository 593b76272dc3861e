package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.distributors.DistributorAgents;
import io.clusterplatform.provisioner.server.sshkeys.SshKeyStore;
import io.clusterplatform.provisioner.server.storage.StorableText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The distributor agent's side of a script run: it takes the run once (with the private key, which
 * only it ever receives), streams the output in chunks at offsets, and reports how it ended.
 */
@RestController
@RequestMapping("/api/distributors/{distributorId}/scriptruns/{runId}")
@Tag(name = "script runs")
class ScriptRunAgentController {
    /** What the agent needs to run the script; the only answer that ever carries a private key. */
    record Start(
            long runId,
            String ip,
            int port,
            String user,
            String script,
            String privateKey,
            String pinnedHostKey,
            int timeoutSeconds) {
        @Override
        public String toString() {
            return "Start[run " + runId + " on " + ip + ":" + port + " as " + user + "]";
        }
    }

    record OutputChunk(String stream, Integer offset, String text) {}

    record Stored(int size) {}

    record Result(Integer exitCode, String error, String hostKey) {}

    static final int SSH_PORT = 22;
    private static final int MAX_CHUNK = 256 * 1024;

    private final DistributorAgents distributors;
    private final ScriptRunStore runs;
    private final SshKeyStore keys;
    private final RunSignals signals;
    private final GivenKeys givenKeys;

    ScriptRunAgentController(
            DistributorAgents distributors,
            ScriptRunStore runs,
            SshKeyStore keys,
            RunSignals signals,
            GivenKeys givenKeys) {
        this.distributors = distributors;
        this.runs = runs;
        this.keys = keys;
        this.signals = signals;
        this.givenKeys = givenKeys;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Agent: start a queued run once and get what it needs (409 when it was started before)")
    Start start(@PathVariable long distributorId, @PathVariable long runId) {
        distributors.requireAgentOf(distributorId);
        ScriptRunStore.Ticket ticket = runs.start(runId, distributorId);
        signals.signal();
        String key = ticket.privateKeyId() != null
                ? keys.get(ticket.privateKeyId()).text()
                : givenKeys.take(runId).orElse(null);
        if (key == null) {
            runs.finish(runId, null, GivenKeys.LOST, null);
            signals.signal();
            throw new ProblemException(409, "Conflict", "script run " + runId + " failed: " + GivenKeys.LOST);
        }
        ScriptRun run = ticket.run();
        return new Start(
                run.id(),
                run.ip(),
                SSH_PORT,
                run.user(),
                run.script(),
                key,
                ticket.pinnedHostKey(),
                run.timeoutSeconds());
    }

    @PostMapping(path = "/output", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Agent: append {stream: stdout|stderr, offset, text}; a chunk sent again is stored once")
    Stored output(@PathVariable long distributorId, @PathVariable long runId, @RequestBody OutputChunk chunk) {
        distributors.requireAgentOf(distributorId);
        if (chunk.offset() == null || chunk.offset() < 0) {
            throw ProblemException.invalid("'offset' is required: where in the stream the text starts (0 or more)");
        }
        if (chunk.text() == null || chunk.text().length() > MAX_CHUNK) {
            throw ProblemException.invalid("'text' is required and at most " + MAX_CHUNK + " characters");
        }
        StorableText.require("text", chunk.text());
        requireOwnRun(distributorId, runId);
        int size = runs.append(runId, chunk.stream() == null ? "" : chunk.stream(), chunk.offset(), chunk.text());
        signals.signal();
        return new Stored(size);
    }

    @PostMapping(path = "/result", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Agent: end the run with {exitCode} (the script exited) or {error}, and the host key seen")
    ScriptRun result(@PathVariable long distributorId, @PathVariable long runId, @RequestBody Result result) {
        distributors.requireAgentOf(distributorId);
        if (result.exitCode() == null
                && (result.error() == null || result.error().isBlank())) {
            throw ProblemException.invalid("give 'exitCode' (the script exited) or 'error' (it could not run)");
        }
        StorableText.require("error", result.error());
        StorableText.require("hostKey", result.hostKey());
        String error = result.error() == null || result.error().length() <= 4000
                ? result.error()
                : result.error().substring(0, 4000);
        String hostKey = result.hostKey() == null || result.hostKey().length() <= 4000 ? result.hostKey() : null;
        requireOwnRun(distributorId, runId);
        givenKeys.forget(runId);
        ScriptRun run = runs.finish(runId, result.exitCode(), error, hostKey);
        signals.signal();
        return run;
    }

    private void requireOwnRun(long distributorId, long runId) {
        ScriptRun run = runs.get(runId);
        if (run.distributorId() == null || run.distributorId() != distributorId) {
            throw new ProblemException(
                    403, "Forbidden", "script run " + runId + " is not for distributor " + distributorId);
        }
    }
}
