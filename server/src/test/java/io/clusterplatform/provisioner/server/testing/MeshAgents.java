package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.distributor.mesh.MeshCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mesh node agents in namespaces of a {@link Lab}, as the mesh lab test and the join benchmark start
 * them: the Java agent ({@code provisioner mesh join|bridge}, in a JVM of its own) and the shell agent
 * a postbootscript runs ({@code curl -s <server>/mesh/agent.sh | sh -s -- --token ...}). Each node
 * needs an interface name of its own: wireguard-go keeps its control socket in /var/run/wireguard,
 * which every namespace of the machine shares.
 */
public final class MeshAgents {
    /** One machine of the mesh: its namespace, interface, underlay address, agent and state directory. */
    public record Member(
            String name, String namespace, String ifname, String underlay, Lab.Daemon agent, Path stateDir) {}

    private MeshAgents() {}

    /** {@code cpm<pid mod 100000><suffix>}: this JVM's own; a suffix of up to 7 characters fits IFNAMSIZ. */
    public static String interfaceName(String suffix) {
        return "cpm" + (ProcessHandle.current().pid() % 100000) + suffix;
    }

    /**
     * The Java agent ({@code command} is {@code join} or {@code bridge}) in {@code namespace}, as host
     * {@code name}, state in the lab's directory; {@code withEndpoint}: announces {@code underlay} (a
     * bridge behind NAT would not).
     */
    public static Member javaAgent(
            Lab lab,
            String name,
            String namespace,
            String underlay,
            String ifname,
            String serverUrl,
            String command,
            String token,
            boolean withEndpoint) {
        Path stateDir = lab.directory().resolve("mesh-" + name);
        List<String> args = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx96m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                MeshCommand.class.getName(),
                command,
                "--server",
                serverUrl,
                "--token",
                token,
                "--interface",
                ifname,
                "--state-dir",
                stateDir.toString(),
                "--hostname",
                name,
                "--report-every",
                "2s"));
        if (withEndpoint) {
            args.addAll(List.of("--endpoint", underlay));
        }
        Lab.Daemon agent = lab.startProcess(namespace, "mesh-" + name, args);
        return new Member(name, namespace, ifname, underlay, agent, stateDir);
    }

    /**
     * As a postbootscript would: {@code curl -s <server>/mesh/agent.sh | sh -s -- --token ...}; with
     * {@code --endpoint underlay}, or none when it is null (behind NAT).
     */
    public static Member shellAgent(
            Lab lab, String name, String namespace, String underlay, String ifname, String serverUrl, String token) {
        Path stateDir = lab.directory().resolve("mesh-" + name);
        String script = "curl -sf " + serverUrl + "/mesh/agent.sh | exec sh -s -- --token " + token
                + " --interface " + ifname + " --state-dir " + stateDir + " --hostname " + name
                + (underlay == null ? "" : " --endpoint " + underlay);
        Lab.Daemon agent = lab.startProcess(namespace, "mesh-" + name, List.of("sh", "-c", script));
        return new Member(name, namespace, ifname, underlay, agent, stateDir);
    }

    /** One ping over the overlay from {@code namespace} to {@code address}, waiting at most 1 s. */
    public static boolean ping(Lab lab, String namespace, String address) {
        return lab.exec(namespace, "ping", "-6", "-c1", "-W1", "-n", address).exitCode() == 0;
    }

    /** What a killed wireguard-go leaves behind in /var/run/wireguard. */
    public static void deleteControlSocket(String ifname) {
        try {
            Files.deleteIfExists(Path.of("/var/run/wireguard", ifname + ".sock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
