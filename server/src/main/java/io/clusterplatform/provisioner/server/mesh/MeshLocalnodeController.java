package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.localnodes.Localnode;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import io.clusterplatform.provisioner.server.scriptruns.ScriptRun;
import io.clusterplatform.provisioner.server.scriptruns.ScriptRunQueue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Localnode to globalnode in one call: a single-use join token for the network, and a script run
 * through the node's distributor that installs the shell agent from this server and starts it with
 * that token. The node generates its key itself; the token is spent by its join.
 */
@RestController
@Tag(name = "mesh")
class MeshLocalnodeController {
    /** How long the join token of such a run lives: the script joins within seconds of starting. */
    static final String TOKEN_LIFETIME = "1h";

    private static final int JOIN_WAIT_SECONDS = 60;

    record JoinLocalnode(String role, String endpoint) {}

    /** The queued run, and the token it carries (never the token itself). */
    record Joining(ScriptRun run, long tokenId, String tokenPrefix, String role, Instant tokenExpiresAt) {}

    private final MeshService mesh;
    private final LocalnodeStore nodes;
    private final ScriptRunQueue scripts;
    private final ServerUrl server;

    MeshLocalnodeController(MeshService mesh, LocalnodeStore nodes, ScriptRunQueue scripts, ServerUrl server) {
        this.mesh = mesh;
        this.nodes = nodes;
        this.scripts = scripts;
        this.server = server;
    }

    @PostMapping(
            path = "/api/mesh/networks/{networkId}/localnodes/{nodeId}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Join a localnode to the network: a single-use join token and a script run through its"
                    + " distributor that installs and starts the shell agent; {role?, endpoint?} (endpoint: the"
                    + " address peers reach it at, default the node's ip); 202 with the run")
    ResponseEntity<Joining> join(
            @PathVariable String networkId,
            @PathVariable long nodeId,
            @RequestBody(required = false) JoinLocalnode body) {
        JoinLocalnode request = body == null ? new JoinLocalnode(null, null) : body;
        Localnode node = nodes.get(nodeId);
        String endpoint = request.endpoint() == null ? node.ip() : request.endpoint();
        if (!endpoint.matches("[0-9A-Za-z.:\\[\\]-]{1,100}")) {
            throw ProblemException.invalid("'endpoint' must be an address or address:port, got '" + endpoint + "'");
        }
        CreatedJoinToken token = mesh.createToken(
                networkId,
                new MeshService.CreateToken(
                        request.role(), 1, TOKEN_LIFETIME, "localnode " + nodeId + " (" + node.ip() + ")"));
        ScriptRun run =
                scripts.queue(nodeId, script(networkId, token.token(), endpoint), null, null, JOIN_WAIT_SECONDS + 30);
        return ResponseEntity.accepted()
                .location(URI.create("/api/scriptruns/" + run.id()))
                .body(new Joining(run, token.id(), token.prefix(), token.role(), token.expiresAt()));
    }

    /** Installs the agent, starts it in the background and waits until it joined (or says why not). */
    private String script(String networkId, String token, String endpoint) {
        String base = server.base();
        String dir = "/var/lib/provisioner/mesh";
        return "#!/bin/sh\n"
                + "# Joins this node to mesh network " + networkId + " (POST /api/mesh/networks/" + networkId
                + "/localnodes/...).\n"
                + "set -u\n"
                + "mkdir -p " + dir + " && chmod 700 " + dir + "\n"
                + "curl -fsS '" + base + "/mesh/agent.sh' -o " + dir + "/agent.sh || exit 1\n"
                + "nohup sh " + dir + "/agent.sh --server '" + base + "' --token '" + token + "' --endpoint '"
                + endpoint
                + "' >>/var/log/provisioner-mesh.log 2>&1 </dev/null &\n"
                + "i=0\n"
                + "while [ ! -s " + dir + "/node.env ] && [ $i -lt " + JOIN_WAIT_SECONDS
                + " ]; do sleep 1; i=$((i+1)); done\n"
                + "if [ -s " + dir + "/node.env ]; then\n"
                + "  grep -E '^(nodeId|networkId|address|ipv4|role)=' " + dir + "/node.env\n"
                + "else\n"
                + "  echo 'the agent did not join within " + JOIN_WAIT_SECONDS + " s:' >&2\n"
                + "  tail -n 20 /var/log/provisioner-mesh.log >&2\n"
                + "  exit 1\n"
                + "fi\n";
    }
}
