package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A PXE lab made of network namespaces (run as root, with iproute2):
 *
 * <ul>
 *   <li>{@code cpp-<pid>-<n>-lan} holds the bridge {@code br0}, the LAN, and the hosts' tap devices;
 *   <li>{@code cpp-<pid>-<n>-router} sits on the LAN through a veth pair ({@code eth0},
 *       {@code <subnet>.1/24}) and runs an ordinary DHCP server (dnsmasq in normal mode, no DNS, range
 *       {@code .100-.150});
 *   <li>{@code cpp-<pid>-<n>-dist} sits on the LAN the same way ({@code eth0}, {@code <subnet>.2/24}),
 *       where a distributor's dnsmasq in proxy mode runs.
 * </ul>
 *
 * The subnet is a /24 of {@code 10.213.0.0/16} and exists only inside these namespaces; nothing is
 * sent anywhere else. {@link #close()} kills every process the lab started (and anything else left
 * inside its namespaces), deletes the namespaces (with the bridge, veths and taps in them) and its
 * directory; a shutdown hook does the same if a test never gets to close it, and {@link #start()}
 * first removes what labs of dead JVMs (their PID is in the names) left behind.
 */
public final class Lab implements AutoCloseable {
    /** Every name this lab makes (namespaces, directories, qemu's {@code -name}) starts with it. */
    public static final String PREFIX = "cpp-";

    private static final Pattern LAB_NAME = Pattern.compile("^" + PREFIX + "(\\d+)-(\\d+)-.*");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final String subnet;
    private final ThrowawayDirectory dir;
    private final List<Daemon> daemons = new CopyOnWriteArrayList<>();
    private final List<Host> hosts = new CopyOnWriteArrayList<>();
    private final AtomicInteger taps = new AtomicInteger();
    private final List<String> extraNamespaces = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    private volatile boolean closed;
    private Daemon dhcp;
    private SocketRelay relay;

    /** A process the lab started inside one of its namespaces; closing it kills it. */
    public static final class Daemon implements AutoCloseable {
        private final String name;
        private final Process process;
        private final Path log;

        private Daemon(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        public String name() {
            return name;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Where its stdout and stderr go. */
        public Path log() {
            return log;
        }

        public String output() {
            return readTail(log);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(
                        Timeouts.scaled(java.time.Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A qemu host on a tap of the LAN; closing it powers it off (the tap goes with the lab). */
    public record Host(QemuHost qemu, String tap, String mac) implements AutoCloseable {
        @Override
        public void close() {
            qemu.close();
        }
    }

    private Lab(String id, String subnet, ThrowawayDirectory dir) {
        this.id = id;
        this.subnet = subnet;
        this.dir = dir;
        this.shutdownHook = new Thread(this::tearDown, "tear down " + id);
    }

    /** Removes leftovers of killed labs, then builds a lab and starts its router's DHCP server. */
    public static Lab start() {
        removeLeftovers();
        long pid = ProcessHandle.current().pid();
        int n = SEQUENCE.incrementAndGet();
        String id = PREFIX + pid + "-" + n;
        String subnet = "10.213." + (Math.floorMod(pid * 31 + n, 250) + 1);
        Lab lab = new Lab(id, subnet, ThrowawayDirectory.create(id + "-"));
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private void build() {
        try {
            // A distributor's dnsmasq serves TFTP as nobody from a state directory inside the lab's.
            Files.setPosixFilePermissions(
                    dir.path(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String ns : namespaces()) {
            ip("netns", "add", ns);
            ip("-n", ns, "link", "set", "lo", "up");
        }
        ip("-n", lanNamespace(), "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
        ip("-n", lanNamespace(), "link", "set", "br0", "up");
        attach("router0", routerNamespace(), routerAddress());
        attach("dist0", distributorNamespace(), distributorAddress());
        dhcp = startProcess(
                routerNamespace(),
                "router-dnsmasq",
                List.of(
                        program("dnsmasq", "dnsmasq-base"),
                        "--keep-in-foreground",
                        "--conf-file=/dev/null",
                        "--no-resolv",
                        "--no-hosts",
                        "--port=0",
                        "--user=root",
                        "--group=root",
                        "--interface=eth0",
                        "--bind-interfaces",
                        "--dhcp-authoritative",
                        "--dhcp-range=" + subnet + ".100," + subnet + ".150,255.255.255.0,10m",
                        "--dhcp-leasefile=" + routerLeaseFile(),
                        "--pid-file=" + dir.path().resolve("router-dnsmasq.pid"),
                        "--log-facility=" + routerLog(),
                        "--log-dhcp"));
        Awaitility.await("the router's DHCP server in " + id + " is up")
                .atMost(Timeouts.startup())
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> {
                    if (!dhcp.isAlive()) {
                        throw new AssertionError(
                                "the router's dnsmasq exited: " + dhcp.output() + readTail(routerLog()));
                    }
                    return readTail(routerLog()).contains("DHCP, sockets bound");
                });
    }

    /** A veth pair from the bridge to {@code eth0} of {@code ns}, which gets {@code address}/24. */
    private void attach(String port, String ns, String address) {
        ip("-n", lanNamespace(), "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("-n", lanNamespace(), "link", "set", port, "master", "br0", "up");
        ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
    }

    public String id() {
        return id;
    }

    public String lanNamespace() {
        return id + "-lan";
    }

    public String routerNamespace() {
        return id + "-router";
    }

    public String distributorNamespace() {
        return id + "-dist";
    }

    /** The lab's namespaces: LAN, router, distributor, then those {@link #addNamespace} made. */
    public List<String> namespaces() {
        List<String> all = new ArrayList<>(List.of(lanNamespace(), routerNamespace(), distributorNamespace()));
        all.addAll(extraNamespaces);
        return List.copyOf(all);
    }

    /**
     * A further namespace {@code cpp-<pid>-<n>-<name>} on the LAN: a veth pair from {@code br0} to its
     * {@code eth0}, which gets the static {@code <subnet>.<hostOctet>/24} (keep it below the DHCP range,
     * .100, and above the router's and distributor's .1 and .2). The lab deletes it when it closes, or
     * a later run does if this JVM dies. Returns the namespace's name.
     */
    public String addNamespace(String name, int hostOctet) {
        if (!name.matches("[a-z0-9]{1,8}") || hostOctet < 3 || hostOctet >= 100) {
            throw new IllegalArgumentException("name: 1 to 8 of [a-z0-9]; hostOctet: 3 to 99");
        }
        String ns = id + "-" + name;
        extraNamespaces.add(ns);
        ip("netns", "add", ns);
        ip("-n", ns, "link", "set", "lo", "up");
        attach("v" + name, ns, subnet + "." + hostOctet);
        return ns;
    }

    /** The first three octets of the LAN, e.g. {@code 10.213.42}. */
    public String subnet() {
        return subnet;
    }

    public String routerAddress() {
        return subnet + ".1";
    }

    /** The distributor namespace's address on the LAN, on its interface {@link #distributorInterface()}. */
    public String distributorAddress() {
        return subnet + ".2";
    }

    public String distributorInterface() {
        return "eth0";
    }

    /** The lab's own directory (logs, lease file, pid files); deleted by {@link #close()}. */
    public Path directory() {
        return dir.path();
    }

    public Path routerLeaseFile() {
        return dir.path().resolve("router-dnsmasq.leases");
    }

    public Path routerLog() {
        return dir.path().resolve("router-dnsmasq.log");
    }

    /** The router's DHCP server. */
    public Daemon routerDhcp() {
        return dhcp;
    }

    /** The address the router leased to {@code mac}, if any (from its lease file). */
    public Optional<String> leasedAddress(String mac) {
        Path leases = routerLeaseFile();
        if (!Files.exists(leases)) {
            return Optional.empty();
        }
        try {
            // <expiry> <mac> <ip> <hostname> <client-id>
            return Files.readAllLines(leases).stream()
                    .map(line -> line.split(" "))
                    .filter(f -> f.length >= 3 && f[1].equalsIgnoreCase(mac))
                    .map(f -> f[2])
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The port a server in the router namespace listens on; the LAN reaches it at the router's address. */
    public static final int SERVER_PORT = 8080;

    /** {@code http://<router>:8080}: where hosts and the distributor reach a server in the router namespace. */
    public String serverUrl() {
        return "http://" + routerAddress() + ":" + SERVER_PORT;
    }

    /**
     * The port of this machine's loopback where the tests reach a server that runs in the router
     * namespace on {@link #SERVER_PORT} (see {@link ServerProcess#startIn}): a {@link SocketRelay} in this
     * JVM forwards to a Unix socket in the lab's directory, where socat in the router namespace listens
     * and connects to the server. Hosts on the LAN reach the server directly, so it sees their addresses.
     */
    public synchronized int serverApiPort() {
        if (relay == null) {
            Path socket = dir.path().resolve("server.sock");
            Daemon socat = startProcess(
                    routerNamespace(),
                    "server-relay",
                    List.of(
                            program("socat", "socat"),
                            "UNIX-LISTEN:" + socket + ",fork,mode=600",
                            "TCP:127.0.0.1:" + SERVER_PORT));
            Awaitility.await("socat listening on " + socket)
                    .atMost(Timeouts.startup())
                    .pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> {
                        if (!socat.isAlive()) {
                            throw new AssertionError("socat exited: " + socat.output());
                        }
                        return Files.exists(socket);
                    });
            relay = SocketRelay.toUnixSocket(socket);
        }
        return relay.port();
    }

    /** Adds a tap device to the LAN namespace, attached to {@code br0} and up; returns its name. */
    public String addTap() {
        String tap = "tap" + taps.getAndIncrement();
        ip("-n", lanNamespace(), "tuntap", "add", "dev", tap, "mode", "tap");
        ip("-n", lanNamespace(), "link", "set", tap, "master", "br0", "up");
        return tap;
    }

    /**
     * Powers on a host that PXE-boots from the LAN on a new tap (see {@link QemuHost#pxeBoot}), with a
     * random MAC of qemu's {@code 52:54:00} range. The lab powers it off when it closes.
     */
    public Host bootHost(QemuHost.Firmware firmware) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return bootHost(firmware, "52:54:00:" + HexFormat.ofDelimiter(":").formatHex(b));
    }

    /** Like {@link #bootHost(QemuHost.Firmware)} with a given MAC: the same host powered on again. */
    public Host bootHost(QemuHost.Firmware firmware, String mac) {
        String tap = addTap();
        QemuHost qemu = QemuHost.pxeBoot(firmware, lanNamespace(), tap, mac, id + "-" + tap);
        Host host = new Host(qemu, tap, mac);
        hosts.add(host);
        return host;
    }

    /**
     * Starts {@code command} inside {@code namespace} ({@code ip netns exec}, which becomes the
     * command, so the pid is the command's); its output goes to {@code <name>.log} in the lab's
     * directory. Close the returned daemon to stop it; the lab stops it anyway when it closes.
     */
    public Daemon startProcess(String namespace, String name, List<String> command) {
        List<String> full = new ArrayList<>(List.of(program("ip", "iproute2"), "netns", "exec", namespace));
        full.addAll(command);
        Path log = dir.path().resolve(name + ".log");
        try {
            Process process = new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Daemon daemon = new Daemon(name, process, log);
            daemons.add(daemon);
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command + " in " + namespace + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code command} inside {@code namespace} to completion. */
    public Shell.Result exec(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of(program("ip", "iproute2"), "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Shell.run(full, Timeouts.process());
    }

    /** Names of the network namespaces on this machine. */
    public static List<String> listNamespaces() {
        Shell.Result result = Shell.run(List.of(program("ip", "iproute2"), "netns", "list"), Timeouts.process());
        if (result.exitCode() != 0) {
            throw new AssertionError("ip netns list failed: " + result.stderr());
        }
        return result.stdout()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")[0])
                .toList();
    }

    /**
     * Removes the namespaces (with every process inside them) and directories of labs whose owning JVM
     * (the PID in their name) is gone: what a killed test run left behind. Labs of live JVMs stay.
     */
    public static void removeLeftovers() {
        for (String ns : listNamespaces()) {
            if (ownerIsGone(ns)) {
                removeNamespace(ns);
            }
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path p : entries.toList()) {
                if (Files.isDirectory(p) && ownerIsGone(p.getFileName().toString())) {
                    try {
                        ThrowawayDirectory.deleteRecursively(p);
                    } catch (UncheckedIOException e) {
                        // Another run may be removing it at the same time.
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean ownerIsGone(String name) {
        Matcher m = LAB_NAME.matcher(name);
        return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
    }

    /** Kills every process inside {@code ns}, then deletes it. */
    static void removeNamespace(String ns) {
        Shell.Result pids = Shell.run(List.of(program("ip", "iproute2"), "netns", "pids", ns), Timeouts.process());
        if (pids.exitCode() == 0) {
            for (String line : pids.stdout().lines().map(String::strip).toList()) {
                if (!line.matches("\\d+")) {
                    continue;
                }
                ProcessHandle.of(Long.parseLong(line)).ifPresent(p -> {
                    p.destroyForcibly();
                    try {
                        p.onExit().get(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        // Reported below if the namespace cannot go.
                    }
                });
            }
        }
        Shell.Result del = Shell.run(List.of(program("ip", "iproute2"), "netns", "del", ns), Timeouts.process());
        if (del.exitCode() != 0 && listNamespaces().contains(ns)) {
            throw new AssertionError("cannot delete network namespace " + ns + ": " + del.stderr());
        }
    }

    private synchronized void tearDown() {
        if (closed) {
            return;
        }
        closed = true;
        List<Throwable> failures = new ArrayList<>();
        for (Host host : hosts) {
            run(host::close, failures);
        }
        for (Daemon daemon : daemons) {
            run(daemon::close, failures);
        }
        if (relay != null) {
            run(relay::close, failures);
        }
        for (String ns : namespaces()) {
            run(
                    () -> {
                        if (listNamespaces().contains(ns)) {
                            removeNamespace(ns);
                        }
                    },
                    failures);
        }
        run(dir::close, failures);
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("tearing down " + id + " failed");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static void run(Runnable step, List<Throwable> failures) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            failures.add(e);
        }
    }

    @Override
    public void close() {
        try {
            tearDown();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs (or ran) anyway.
            }
        }
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of(program("ip", "iproute2")));
        command.addAll(List.of(args));
        Shell.Result result = Shell.run(command, Timeouts.process());
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the lab needs root): "
                    + result.stderr().strip());
        }
    }

    /** The absolute path of a program in the sbin directories, which a non-login PATH may lack. */
    static String program(String name, String debianPackage) {
        for (String d : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(
                name + " is missing: install the " + debianPackage + " package (scripts/run-tests.sh does)");
    }

    private static String readTail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return file + " unreadable";
        }
    }
}
