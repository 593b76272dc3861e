package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.mesh.DirectPath;
import io.clusterplatform.provisioner.core.mesh.Health;
import io.clusterplatform.provisioner.core.mesh.MeshPath;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code provisioner mesh status}: this node and its peers, from {@code wg show <if> dump}. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows this node's mesh interface and its peers: host name, path (direct, relayed via a relay,"
                + " or none: no handshake within 3 minutes), endpoint, allowed IPs, latest handshake.")
final class MeshStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--interface",
            description = "The WireGuard interface (default: the one in the state directory, else wgmesh0).")
    String interfaceName;

    @Option(
            names = "--state-dir",
            defaultValue = "${env:PROVISIONER_MESH_DIR:-/var/lib/provisioner/mesh}",
            description = "The agent's state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Optional<MeshState> state = Optional.empty();
        try {
            state = MeshState.read(
                    stateDir, new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        } catch (java.io.IOException | SecurityException unreadable) {
            // only the interface, then
        }
        String ifname = interfaceName != null
                ? interfaceName
                : state.map(MeshState::interfaceName).orElse("wgmesh0");
        WgTools.Result dump = WgTools.run(java.util.List.of(WgTools.program("wg"), "show", ifname, "dump"));
        if (dump.code() != 0) {
            spec.commandLine()
                    .getErr()
                    .printf("cannot read %s: %s%n", ifname, dump.output().strip());
            return 1;
        }
        state.filter(s -> s.interfaceName().equals(ifname))
                .ifPresent(s -> out.printf(
                        "node %d %s (%s) of %s, address %s%s%n",
                        s.nodeId(),
                        s.hostname(),
                        s.role(),
                        s.networkId(),
                        s.address(),
                        s.ipv4() == null ? "" : ", " + s.ipv4()));
        WgDump parsed = WgDump.parse(dump.output());
        Map<String, JsonNode> paths = paths(stateDir.resolve(MeshAgent.PATHS_FILE));
        out.printf("interface %s, public key %s, listening on %d%n", ifname, parsed.publicKey(), parsed.listenPort());
        out.printf(
                "%-44s  %-20s  %-8s  %-24s  %-40s  %s%n",
                "PEER", "HOST", "PATH", "ENDPOINT", "ALLOWED IPS", "LATEST HANDSHAKE");
        Instant now = Instant.now();
        for (WgDump.Peer peer : parsed.peers()) {
            JsonNode known = paths.get(peer.publicKey());
            out.printf(
                    "%-44s  %-20s  %-8s  %-24s  %-40s  %s%n",
                    peer.publicKey(),
                    known == null ? "" : known.path("hostname").asText(),
                    path(peer, known, now),
                    peer.endpoint() == null ? "(none)" : peer.endpoint(),
                    peer.allowedIps(),
                    age(now, peer.latestHandshake()));
        }
        out.flush();
        return 0;
    }

    /** direct, relayed or none (no handshake within 3 minutes), as the agent's paths file and wg tell. */
    static String path(WgDump.Peer peer, JsonNode known, Instant now) {
        if (peer.latestHandshake() == 0
                || peer.latestHandshake() < now.minus(Health.HANDSHAKE_WITHIN).getEpochSecond()) {
            return MeshPath.Kind.NONE.wireName();
        }
        if (known != null
                && known.path("relayed").asBoolean()
                && !DirectPath.State.DIRECT
                        .wireName()
                        .equals(known.path("state").asText())) {
            return MeshPath.Kind.RELAYED.wireName();
        }
        return MeshPath.Kind.DIRECT.wireName();
    }

    private static Map<String, JsonNode> paths(Path file) {
        Map<String, JsonNode> byKey = new HashMap<>();
        try {
            if (Files.isReadable(file)) {
                new ObjectMapper()
                        .readTree(file.toFile())
                        .forEach(p -> byKey.put(p.path("publicKey").asText(), p));
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            // paths from wg alone, then
        }
        return byKey;
    }

    static String age(Instant now, long epochSeconds) {
        if (epochSeconds == 0) {
            return "never";
        }
        long s = Math.max(
                0, Duration.between(Instant.ofEpochSecond(epochSeconds), now).toSeconds());
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        return s / 3600 + " h ago";
    }
}
