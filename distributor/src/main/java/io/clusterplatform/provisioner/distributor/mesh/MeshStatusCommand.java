package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
        description = "Shows this node's mesh interface and its peers: endpoint, allowed IPs, latest handshake.")
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
        out.printf("interface %s, public key %s, listening on %d%n", ifname, parsed.publicKey(), parsed.listenPort());
        out.printf("%-44s  %-24s  %-40s  %s%n", "PEER", "ENDPOINT", "ALLOWED IPS", "LATEST HANDSHAKE");
        Instant now = Instant.now();
        for (WgDump.Peer peer : parsed.peers()) {
            out.printf(
                    "%-44s  %-24s  %-40s  %s%n",
                    peer.publicKey(),
                    peer.endpoint() == null ? "(none)" : peer.endpoint(),
                    peer.allowedIps(),
                    age(now, peer.latestHandshake()));
        }
        out.flush();
        return 0;
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
