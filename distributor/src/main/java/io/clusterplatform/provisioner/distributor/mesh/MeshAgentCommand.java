package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code mesh join} and {@code mesh bridge} share: the options, the join or resume, the agent's run. */
abstract class MeshAgentCommand implements Callable<Integer> {
    static final int EXIT_REMOVED = 3;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--server",
            defaultValue = "${env:PROVISIONER_URL}",
            description = "The server's URL, e.g. https://provisioner.example:8080 (env PROVISIONER_URL). Not needed"
                    + " to resume from the state directory.")
    String server;

    @Option(
            names = "--token",
            defaultValue = "${env:PROVISIONER_MESH_TOKEN}",
            description = "The join token (cpm_...; env PROVISIONER_MESH_TOKEN). Used once: later starts resume"
                    + " from the state directory.")
    String token;

    @Option(
            names = "--interface",
            defaultValue = "wgmesh0",
            description = "The WireGuard interface to create (default: ${DEFAULT-VALUE}).")
    String interfaceName;

    @Option(
            names = "--state-dir",
            defaultValue = "${env:PROVISIONER_MESH_DIR:-/var/lib/provisioner/mesh}",
            description = "Where the private key and the node's token and addresses are kept (default:"
                    + " ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(
            names = "--listen-port",
            description = "The WireGuard UDP port (default: the one the server suggests, 51820).")
    Integer listenPort;

    @Option(
            names = "--endpoint",
            description = "Where the other nodes reach this one: HOST:PORT, or HOST for the listen port."
                    + " Without it the node is taken to be behind NAT and the others wait for its handshakes.")
    String endpoint;

    @Option(names = "--hostname", description = "The name to join with (default: this machine's).")
    String hostname;

    @Option(
            names = "--report-every",
            defaultValue = "5s",
            description = "How often the latest handshakes are reported (default: ${DEFAULT-VALUE}).")
    String reportEvery;

    /** The role the token must give (the server refuses others without spending it), or null for any. */
    abstract String requiredRole();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Path dir = stateDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        String privateKey = X25519Keys.privateKey(dir);
        Optional<MeshState> saved = MeshState.read(dir, json);
        MeshState state;
        JsonNode joined = null;
        if (saved.isPresent()) {
            state = saved.get();
            if (!state.interfaceName().equals(interfaceName)
                    || (listenPort != null && listenPort != state.listenPort())) {
                state = withInterface(state, interfaceName, listenPort == null ? state.listenPort() : listenPort);
                state.write(dir, json);
            }
            out.printf("resuming node %d (%s) of %s from %s%n", state.nodeId(), state.role(), state.networkId(), dir);
        } else {
            URI uri = serverUri(server);
            if (token == null || token.isBlank()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "a join token is required: --token or PROVISIONER_MESH_TOKEN (create one with POST"
                                + " /api/mesh/networks/<id>/tokens)");
            }
            String name = hostname != null ? hostname : localHostname();
            if (!NodeAddresses.isHostname(name)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--hostname must be a DNS host name, got '" + name + "'");
            }
            int port = listenPort == null ? 51820 : listenPort;
            String ownEndpoint = endpoint(port);
            checkEndpoint(ownEndpoint);
            // a bridge's join is refused (the token kept unspent) unless the token gives the role bridge
            joined = new MeshClient(uri, json)
                    .join(token.strip(), X25519Keys.publicKey(privateKey), name, ownEndpoint, requiredRole());
            String role = joined.path("role").asText();
            state = new MeshState(
                    uri.toString(),
                    joined.path("nodeId").asLong(),
                    joined.path("networkId").asText(),
                    joined.path("hostname").asText(),
                    role,
                    joined.path("nodeToken").asText(),
                    joined.path("address").asText(),
                    text(joined, "ipv4"),
                    joined.path("nodeSubnet").asText(),
                    text(joined, "ipv4Range"),
                    interfaceName,
                    listenPort == null ? joined.path("listenPort").asInt(51820) : listenPort,
                    ownEndpoint);
            state.write(dir, json);
            out.printf(
                    "joined %s as node %d (%s), address %s%n",
                    state.networkId(), state.nodeId(), role, state.address());
        }
        out.flush();
        return run(state, joined, dir, json, out);
    }

    /** Refuses, before the join, an endpoint this kind of agent cannot do with(out). */
    void checkEndpoint(String ownEndpoint) {}

    /** The WireGuard node agent on the joined (or resumed) node, until it stops or is removed. */
    int run(MeshState state, JsonNode joined, Path dir, ObjectMapper json, PrintWriter out) throws Exception {
        MeshAgent agent = new MeshAgent(
                new MeshClient(serverUri(state.server()), json),
                new WgTools(dir),
                state,
                dir.resolve(X25519Keys.PRIVATE_KEY_FILE),
                json,
                parseDuration(reportEvery));
        Thread hook = new Thread(agent::close, "mesh-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        agent.up();
        out.printf("%s is up%n", state.interfaceName());
        out.flush();
        MeshAgent.Exit exit = agent.run(joined);
        agent.close();
        return exitCode(exit, state, dir, "node");
    }

    /** The command's exit code; a removed node (or relay) forgets its state and says so. */
    int exitCode(MeshAgent.Exit exit, MeshState state, Path dir, String what) throws java.io.IOException {
        if (exit != MeshAgent.Exit.NODE_REMOVED) {
            return 0;
        }
        MeshState.delete(dir);
        spec.commandLine()
                .getErr()
                .printf(
                        "%s %d was removed from %s: join again with a new token%n",
                        what, state.nodeId(), state.networkId());
        return EXIT_REMOVED;
    }

    private static MeshState withInterface(MeshState s, String ifname, int port) {
        return new MeshState(
                s.server(),
                s.nodeId(),
                s.networkId(),
                s.hostname(),
                s.role(),
                s.nodeToken(),
                s.address(),
                s.ipv4(),
                s.nodeSubnet(),
                s.ipv4Range(),
                ifname,
                port,
                s.endpoint());
    }

    private String endpoint(int port) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        String e = endpoint.strip();
        boolean hasPort = e.startsWith("[")
                ? e.contains("]:")
                : e.chars().filter(c -> c == ':').count() == 1;
        if (hasPort) {
            return e;
        }
        return e.contains(":") && !e.startsWith("[") ? "[" + e + "]:" + port : e + ":" + port;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    URI serverUri(String value) {
        if (value != null) {
            try {
                URI uri = new URI(value.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (java.net.URISyntaxException e) {
                // refused below
            }
        }
        throw new CommandLine.ParameterException(
                spec.commandLine(), "--server must be an http:// or https:// URL, got '" + value + "'");
    }

    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "node";
        }
    }
}
