package io.clusterplatform.provisioner.distributor.mesh;

import picocli.CommandLine.Command;

/** {@code provisioner mesh join}: a host joins the mesh and stays in it. */
@Command(
        name = "join",
        mixinStandardHelpOptions = true,
        description = {
            "Joins this host to a mesh network with a join token and keeps its WireGuard interface in step with"
                    + " the peer map until stopped (SIGTERM takes the interface down).",
            "Makes its own key pair (the private key stays in the state directory); uses wireguard-go where the"
                    + " kernel has no WireGuard. A restart resumes from the state directory without a new token;"
                    + " while the server is unreachable the tunnels stay as they are.",
            "Needs root (or CAP_NET_ADMIN), wg (wireguard-tools) and ip (iproute2)."
        })
final class MeshJoinCommand extends MeshAgentCommand {
    @Override
    String requiredRole() {
        return null;
    }
}
