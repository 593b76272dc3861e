package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.core.distributors.DistributorRules;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.scriptruns.ScriptRunStatus;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Scripts run on localnodes over SSH: {@code PUT /api/localnodes/{id}/script} (the original API's "Create
 * Globalnodes from Localnodes" request) queues a run for the distributor of the node's artifactId,
 * which runs it as root (or {@code user}) with the artifact's private key from {@code /api/sshkeys}
 * (or the {@code privateKey} given). The run is a record: status, exit code, stdout and stderr, which
 * can be followed while it runs.
 */
@RestController
@Tag(name = "script runs", description = "Scripts run on localnodes over SSH through their distributor")
class ScriptRunController {
    private static final int RECENT_RUNS = 50;

    record RunRequest(String script, String privateKey, String user, Integer timeoutSeconds) {}

    private final LocalnodeStore nodes;
    private final ScriptRunStore runs;
    private final ScriptRunQueue queue;
    private final RunSignals signals;

    ScriptRunController(LocalnodeStore nodes, ScriptRunStore runs, ScriptRunQueue queue, RunSignals signals) {
        this.nodes = nodes;
        this.runs = runs;
        this.queue = queue;
        this.signals = signals;
    }

    @PutMapping(path = "/api/localnodes/{id}/script", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Run a script on the node over SSH through its distributor: {script, privateKey?, user?"
                    + " (root), timeoutSeconds? (300, at most 3600)}; 202 with the queued run")
    ResponseEntity<ScriptRun> run(@PathVariable long id, @RequestBody RunRequest request) {
        ScriptRun run =
                queue.queue(id, request.script(), request.privateKey(), request.user(), request.timeoutSeconds());
        return ResponseEntity.accepted()
                .location(URI.create("/api/scriptruns/" + run.id()))
                .body(run.redacted());
    }

    @GetMapping(path = "/api/localnodes/{id}/scriptruns", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The node's script runs, newest first (at most 50)")
    List<ScriptRun> ofNode(@PathVariable long id) {
        nodes.get(id);
        return runs.ofNode(id, RECENT_RUNS).stream().map(ScriptRun::redacted).toList();
    }

    @GetMapping(path = "/api/scriptruns/{runId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A script run: status (queued, running, done, failed), exitCode, stdout, stderr, error")
    ScriptRun get(@PathVariable long runId) {
        return runs.get(runId).redacted();
    }

    @GetMapping(path = "/api/scriptruns/{runId}/output", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Follow a run: the output after stdoutOffset/stderrOffset, waiting up to ?wait (e.g. 25s) for"
                    + " some; repeat with the offsets it returns until status is done or failed")
    ScriptRunStore.Output output(
            @PathVariable long runId,
            @RequestParam(defaultValue = "0") int stdoutOffset,
            @RequestParam(defaultValue = "0") int stderrOffset,
            @RequestParam(required = false) String wait)
            throws InterruptedException {
        if (stdoutOffset < 0 || stderrOffset < 0) {
            throw ProblemException.invalid("'stdoutOffset' and 'stderrOffset' must be 0 or more");
        }
        Duration patience = wait == null ? Duration.ZERO : DistributorRules.parseWait(wait);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            long seen = signals.generation();
            ScriptRunStore.Output out = runs.output(runId, stdoutOffset, stderrOffset);
            long remaining = deadline - System.nanoTime();
            boolean ended = ScriptRunStatus.ofWireName(out.status()).isFinal();
            if (!out.stdout().isEmpty() || !out.stderr().isEmpty() || ended || remaining <= 0) {
                return out;
            }
            signals.awaitAfter(
                    seen, Duration.ofNanos(Math.min(remaining, signals.recheck().toNanos())));
        }
    }

    @GetMapping(path = "/api/localnodes/{id}/hostkey", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The SSH host key pinned for the node on the first script run (null: none yet)")
    Map<String, Object> hostKey(@PathVariable long id) {
        String key = runs.hostKey(id).orElse(null);
        return java.util.Collections.singletonMap("hostKey", key);
    }

    @DeleteMapping(path = "/api/localnodes/{id}/hostkey")
    @Operation(summary = "Forget the node's pinned SSH host key (after a reinstall): the next run pins the new one")
    ResponseEntity<Void> forgetHostKey(@PathVariable long id) {
        runs.forgetHostKey(id);
        return ResponseEntity.noContent().build();
    }
}
