package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code provisioner mesh relay}: a host with a public UDP endpoint relays for nodes behind NAT. */
@Command(
        name = "relay",
        mixinStandardHelpOptions = true,
        description = {
            "Joins a host with a public UDP endpoint to a mesh network as a relay: it forwards the WireGuard"
                    + " datagrams between nodes that have no endpoint (both behind NAT), which it cannot decrypt."
                    + " The token must give the relay role (POST /api/mesh/networks/<id>/tokens {\"role\":"
                    + " \"relay\"}).",
            "--endpoint is required: the public address and port the nodes send to; each relayed pair gets two"
                    + " UDP ports above that port (allow them through any firewall); the port itself answers the"
                    + " probes by which nodes find their nearest relay. The relay creates no"
                    + " WireGuard interface (--interface and --listen-port are not used)."
        })
final class MeshRelayCommand extends MeshAgentCommand {
    @Override
    String requiredRole() {
        return "relay";
    }

    @Override
    void checkEndpoint(String ownEndpoint) {
        if (ownEndpoint == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "a relay needs --endpoint PUBLIC_IP:PORT: where the nodes send their datagrams (its pairs get the"
                            + " UDP ports above PORT)");
        }
    }

    @Override
    int run(MeshState state, JsonNode joined, Path dir, ObjectMapper json, PrintWriter out) throws Exception {
        boolean v6 = state.endpoint() != null && state.endpoint().startsWith("[");
        RelayForwarder forwarder = new RelayForwarder(InetAddress.getByName(v6 ? "::" : "0.0.0.0"));
        int probePort =
                Integer.parseInt(state.endpoint().substring(state.endpoint().lastIndexOf(':') + 1));
        try {
            forwarder.answerProbes(probePort);
        } catch (java.io.IOException e) {
            out.printf(
                    "warning: cannot answer probes on UDP port %d (%s): nodes take this relay for unreachable and"
                            + " prefer any other relay of the network%n",
                    probePort, e.getMessage());
        }
        // What the forwarder observed is checked every second, or as often as --report-every asks.
        Duration every = parseDuration(reportEvery);
        Duration checkEvery = every.compareTo(Duration.ofSeconds(1)) < 0 ? every : Duration.ofSeconds(1);
        MeshRelayAgent agent =
                new MeshRelayAgent(new MeshClient(serverUri(state.server()), json), state, forwarder, json, checkEvery);
        Thread hook = new Thread(agent::close, "mesh-relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("relaying for %s at %s%n", state.networkId(), state.endpoint());
        out.flush();
        MeshAgent.Exit exit = agent.run();
        agent.close();
        return exitCode(exit, state, dir, "relay");
    }
}
