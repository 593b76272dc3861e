package io.clusterplatform.provisioner.server.lab.storm;

import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.util.ArrayList;
import java.util.List;

/** The simulated hosts' side of a {@link Lab}: their namespace, and {@link StormHosts} run inside it. */
public final class StormLab {
    private StormLab() {}

    /**
     * Adds the namespace {@code cpp-...-hosts} on the LAN ({@code eth0} = {@code <subnet>.3/24}) with a
     * route for the limited broadcast, which a socket bound to 0.0.0.0 needs to send a DHCPDISCOVER.
     */
    public static String addHostsNamespace(Lab lab) {
        String ns = lab.addNamespace("hosts", 3);
        run(lab, ns, "ip", "route", "add", "255.255.255.255/32", "dev", "eth0");
        return ns;
    }

    /** {@code java -cp <this JVM's classpath> StormHosts args...}, to start inside a namespace. */
    public static List<String> command(String maxHeap, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                StormHosts.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@link StormHosts} in {@code ns} to completion. */
    public static Shell.Result hosts(Lab lab, String ns, String... args) {
        return lab.exec(ns, command("128m", args).toArray(String[]::new));
    }

    /** Runs a command in {@code ns} that must succeed. */
    public static String run(Lab lab, String ns, String... command) {
        Shell.Result r = lab.exec(ns, command);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " in " + ns + " failed: " + r.stdout() + r.stderr());
        }
        return r.stdout();
    }
}
