package io.clusterplatform.provisioner.distributor.mesh;

import picocli.CommandLine.Command;

/** {@code provisioner mesh bridge}: an operator's machine joins the mesh as a bridge. */
@Command(
        name = "bridge",
        mixinStandardHelpOptions = true,
        description = {
            "Joins the operator's machine to a mesh network as a bridge (like kairos bridge): it reaches every"
                    + " node's overlay addresses, and the nodes reach it. The token must give the bridge role"
                    + " (POST /api/mesh/networks/<id>/tokens {\"role\": \"bridge\"}).",
            "Without --endpoint the machine is taken to be behind NAT: it reaches out to the nodes, which learn"
                    + " its address from its handshakes. Otherwise as mesh join."
        })
final class MeshBridgeCommand extends MeshAgentCommand {
    @Override
    String requiredRole() {
        return "bridge";
    }
}
