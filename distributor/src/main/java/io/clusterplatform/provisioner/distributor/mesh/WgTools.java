package io.clusterplatform.provisioner.distributor.mesh;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Wireguard} with {@code ip} and {@code wg}; where the kernel has no WireGuard module ({@code ip
 * link add ... type wireguard} fails) it runs {@code wireguard-go -f <if>} as a child and watches it.
 */
final class WgTools implements Wireguard {
    private static final Logger log = LoggerFactory.getLogger(WgTools.class);
    private static final long TIMEOUT_MS = 10_000;

    private final String ip;
    private final String wg;
    private final String wireguardGo;
    private final Path logDir;
    private Process userspace;

    WgTools(Path logDir) {
        this(program("ip"), program("wg"), program("wireguard-go"), logDir);
    }

    WgTools(String ip, String wg, String wireguardGo, Path logDir) {
        this.ip = ip;
        this.wg = wg;
        this.wireguardGo = wireguardGo;
        this.logDir = logDir;
    }

    @Override
    public synchronized void up(String ifname, Path privateKeyFile, int listenPort, List<String> addresses)
            throws IOException {
        if (run(List.of(ip, "link", "show", "dev", ifname)).code() == 0) {
            down(ifname);
        }
        Result kernel = run(List.of(ip, "link", "add", "dev", ifname, "type", "wireguard"));
        if (kernel.code() != 0) {
            startUserspace(ifname, kernel.output());
        }
        check(List.of(
                wg,
                "set",
                ifname,
                "private-key",
                privateKeyFile.toString(),
                "listen-port",
                String.valueOf(listenPort)));
        for (String address : addresses) {
            List<String> add = new ArrayList<>(List.of(ip, "address", "add", address, "dev", ifname));
            if (address.contains(":")) {
                add.add("nodad");
            }
            check(add);
        }
        check(List.of(ip, "link", "set", "dev", ifname, "up"));
    }

    private void startUserspace(String ifname, String kernelError) throws IOException {
        if (!new File(wireguardGo).canExecute() && !wireguardGo.equals("wireguard-go")) {
            throw new IOException("the kernel has no WireGuard (" + kernelError.strip()
                    + ") and wireguard-go is missing: install the wireguard-go package");
        }
        log.info("the kernel has no WireGuard ({}): running wireguard-go for {}", kernelError.strip(), ifname);
        ProcessBuilder builder = new ProcessBuilder(wireguardGo, "-f", ifname)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logDir.resolve("wireguard-go.log").toFile()));
        builder.environment().put("LOG_LEVEL", "error");
        try {
            userspace = builder.start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run wireguard-go (the kernel has no WireGuard): install the wireguard-go" + " package: "
                            + e.getMessage(),
                    e);
        }
        Path socket = Path.of("/var/run/wireguard", ifname + ".sock");
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!(Files.exists(socket)
                && run(List.of(ip, "link", "show", "dev", ifname)).code() == 0)) {
            if (!userspace.isAlive()) {
                throw new IOException("wireguard-go " + ifname + " exited with " + userspace.exitValue() + "; see "
                        + logDir.resolve("wireguard-go.log"));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("wireguard-go did not create " + ifname + " within 10 s");
            }
            sleep(20);
        }
    }

    @Override
    public synchronized boolean alive(String ifname) {
        if (userspace != null && !userspace.isAlive()) {
            return false;
        }
        return run(List.of(ip, "link", "show", "dev", ifname)).code() == 0;
    }

    @Override
    public void setPeer(String ifname, MeshPeer peer, int keepaliveSeconds) throws IOException {
        List<String> command = new ArrayList<>(List.of(wg, "set", ifname, "peer", peer.publicKey()));
        command.addAll(List.of("allowed-ips", String.join(",", peer.allowedIps())));
        if (peer.endpoint() != null) {
            command.addAll(List.of("endpoint", peer.endpoint()));
        }
        command.addAll(List.of("persistent-keepalive", String.valueOf(keepaliveSeconds)));
        check(command);
    }

    @Override
    public void removePeer(String ifname, String publicKey) throws IOException {
        check(List.of(wg, "set", ifname, "peer", publicKey, "remove"));
    }

    @Override
    public String dump(String ifname) throws IOException {
        return check(List.of(wg, "show", ifname, "dump"));
    }

    @Override
    public synchronized void down(String ifname) {
        run(List.of(ip, "link", "del", "dev", ifname));
        if (userspace != null) {
            userspace.destroy();
            try {
                if (!userspace.waitFor(5, TimeUnit.SECONDS)) {
                    userspace.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                userspace.destroyForcibly();
            }
            userspace = null;
        }
    }

    private String check(List<String> command) throws IOException {
        Result result = run(command);
        if (result.code() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + result.code() + "): "
                    + result.output().strip());
        }
        return result.output();
    }

    record Result(int code, String output) {}

    static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@code name} from PATH, /usr/sbin, /sbin or /usr/bin; the bare name if none has it. */
    static String program(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return name;
    }
}
