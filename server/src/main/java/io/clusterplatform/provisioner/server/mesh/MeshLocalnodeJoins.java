package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.localnodes.Localnode;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import io.clusterplatform.provisioner.server.scriptruns.ScriptRun;
import io.clusterplatform.provisioner.server.scriptruns.ScriptRunQueue;
import java.time.Instant;
import org.springframework.stereotype.Service;

/**
 * Localnode to globalnode: a single-use join token for the network, and a script run through the
 * node's distributor that installs the shell agent from this server and starts it with that token.
 * The node generates its key itself; the token is spent by its join. The REST API ({@link
 * MeshLocalnodeController}) and the dashboard ({@link MeshLocalnodePages}) both start joins here.
 */
@Service
class MeshLocalnodeJoins {
    /** How long the join token of such a run lives: the script joins within seconds of starting. */
    static final String TOKEN_LIFETIME = "1h";

    private static final int JOIN_WAIT_SECONDS = 60;

    /** What to join with: a role (null: the token's automatic choice) and the endpoint (null: the node's ip). */
    record JoinLocalnode(String role, String endpoint) {}

    /** The queued run, and the token it carries (never the token itself). */
    record Joining(ScriptRun run, long tokenId, String tokenPrefix, String role, Instant tokenExpiresAt) {}

    private final MeshService mesh;
    private final LocalnodeStore nodes;
    private final ScriptRunQueue scripts;
    private final ServerUrl server;

    MeshLocalnodeJoins(MeshService mesh, LocalnodeStore nodes, ScriptRunQueue scripts, ServerUrl server) {
        this.mesh = mesh;
        this.nodes = nodes;
        this.scripts = scripts;
        this.server = server;
    }

    Joining join(String networkId, long nodeId, JoinLocalnode request) {
        Localnode node = nodes.get(nodeId);
        String endpoint = request.endpoint() == null ? node.ip() : request.endpoint();
        if (!endpoint.matches("[0-9A-Za-z.:\\[\\]-]{1,100}")) {
            throw ProblemException.invalid("'endpoint' must be an address or address:port, got '" + endpoint + "'");
        }
        CreatedJoinToken token = mesh.createToken(
                networkId,
                new MeshService.CreateToken(
                        request.role(), 1, TOKEN_LIFETIME, "localnode " + nodeId + " (" + node.ip() + ")"));
        ScriptRun run;
        try {
            run = scripts.queue(nodeId, script(networkId, token.token(), endpoint), null, null, JOIN_WAIT_SECONDS + 30);
        } catch (RuntimeException e) {
            // no run will spend it (no private key, no distributor): it must not stay valid
            mesh.revokeToken(networkId, token.id(), false);
            throw e;
        }
        return new Joining(run.redacted(), token.id(), token.prefix(), token.role(), token.expiresAt());
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
