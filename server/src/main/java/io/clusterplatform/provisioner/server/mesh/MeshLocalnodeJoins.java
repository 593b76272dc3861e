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
    private static final String STATE_DIR = "/var/lib/provisioner/mesh";

    /**
     * What to join with: a role (null: the token's automatic choice), the endpoint (null: the node's ip)
     * and the private SSH key to reach the node with (null: the site's newest in /api/sshkeys; a key
     * given here is kept for this run only, as {@code POST /api/localnodes/{id}/scripts} keeps it).
     */
    record JoinLocalnode(String role, String endpoint, String privateKey) {
        @Override
        public String toString() {
            return "JoinLocalnode[role=" + role + ", endpoint=" + endpoint + ", privateKey="
                    + (privateKey == null ? "none" : "(given)") + "]";
        }
    }

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
            run = scripts.queue(
                    nodeId,
                    script(networkId, token.token(), endpoint),
                    request.privateKey(),
                    null,
                    JOIN_WAIT_SECONDS + 30);
        } catch (RuntimeException e) {
            // no run will spend it (no private key, no distributor): it must not stay valid
            mesh.revokeToken(networkId, token.id(), false);
            throw e;
        }
        return new Joining(run.redacted(), token.id(), token.prefix(), token.role(), token.expiresAt());
    }

    /** Installs the agent, starts it in the background and waits until its first status report reached us. */
    private String script(String networkId, String token, String endpoint) {
        return joinScript(
                server.base(),
                networkId,
                token,
                endpoint,
                STATE_DIR,
                "/var/log/provisioner-mesh.log",
                JOIN_WAIT_SECONDS);
    }

    /**
     * The join script. It checks what the agent needs first (one line for each missing tool; busybox's
     * {@code ip} applet cannot create WireGuard interfaces, so it is named as missing iproute2), starts
     * the agent with SIGHUP ignored (as {@code nohup} would, which busybox-static lacks) and succeeds only
     * once the agent's first status report reached the server: the agent writes {@code reported} in its
     * state directory when the server accepted one. An agent that stops first fails the run at once.
     */
    static String joinScript(
            String base, String networkId, String token, String endpoint, String dir, String log, int waitSeconds) {
        return "#!/bin/sh\n"
                + "# Joins this node to mesh network " + networkId + " (POST /api/mesh/networks/" + networkId
                + "/localnodes/...).\n"
                + "set -u\n"
                + "missing=''\n"
                + "lack() { echo \"this node cannot join: $1\" >&2; missing=yes; }\n"
                + "command -v curl >/dev/null 2>&1 || lack 'curl is missing: install curl'\n"
                + "command -v wg >/dev/null 2>&1 || lack 'wg is missing: install wireguard-tools'\n"
                + "if ! command -v ip >/dev/null 2>&1; then lack 'ip is missing: install iproute2'\n"
                + "elif ! ip -V 2>&1 | grep -q iproute2; then\n"
                + "  lack \"$(command -v ip) is not iproute2's ip (busybox's applet cannot create WireGuard"
                + " interfaces): install iproute2 and put its ip first in PATH\"\n"
                + "fi\n"
                + "[ -d /sys/module/wireguard ] || modprobe wireguard 2>/dev/null || command -v wireguard-go"
                + " >/dev/null 2>&1 ||\n"
                + "  lack 'the kernel has no WireGuard and wireguard-go is missing: install wireguard-go'\n"
                + "[ -z \"$missing\" ] || exit 1\n"
                + "mkdir -p " + dir + " && chmod 700 " + dir + " || exit 1\n"
                + "curl -fsS '" + base + "/mesh/agent.sh' -o " + dir + "/agent.sh || exit 1\n"
                + "rm -f " + dir + "/reported " + dir + "/agent.exit\n"
                + "( trap '' HUP; sh " + dir + "/agent.sh --server '" + base + "' --token '" + token
                + "' --endpoint '" + endpoint + "'; echo $? >" + dir + "/agent.exit ) >>" + log
                + " 2>&1 </dev/null &\n"
                + "i=0\n"
                + "while [ ! -s " + dir + "/reported ] && [ ! -e " + dir + "/agent.exit ] && [ $i -lt " + waitSeconds
                + " ]; do sleep 1; i=$((i+1)); done\n"
                + "if [ -s " + dir + "/reported ]; then\n"
                + "  grep -E '^(nodeId|networkId|address|ipv4|role)=' " + dir + "/node.env\n"
                + "  exit 0\n"
                + "elif [ -e " + dir + "/agent.exit ]; then\n"
                + "  echo \"the agent stopped (exit $(cat " + dir + "/agent.exit)) before its first status report"
                + " reached the server:\" >&2\n"
                + "else\n"
                + "  echo 'the agent'\\''s first status report did not reach the server within " + waitSeconds
                + " s:' >&2\n"
                + "fi\n"
                + "tail -n 20 " + log + " >&2\n"
                + "exit 1\n";
    }
}
