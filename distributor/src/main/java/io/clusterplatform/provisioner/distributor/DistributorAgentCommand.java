package io.clusterplatform.provisioner.distributor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import io.clusterplatform.provisioner.distributor.link.StateFile;
import io.clusterplatform.provisioner.distributor.pxe.BootLogParser;
import io.clusterplatform.provisioner.distributor.pxe.BootloaderDownloads;
import io.clusterplatform.provisioner.distributor.pxe.DnsmasqService;
import io.clusterplatform.provisioner.distributor.pxe.EventOutbox;
import io.clusterplatform.provisioner.distributor.pxe.NeighbourTable;
import io.clusterplatform.provisioner.distributor.runs.ScriptRunner;
import io.clusterplatform.provisioner.distributor.runs.SshNodeShell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code provisioner distributor}: runs the LAN agent until it is stopped. */
@Command(
        name = "distributor",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a distributor: the agent on the hosts' LAN that connects out to the server, serves PXE with"
                    + " dnsmasq (proxyDHCP next to the LAN's own DHCP server, TFTP, iPXE scripts over HTTP) and"
                    + " reports boot events.",
            "Needs root or CAP_NET_ADMIN and CAP_NET_BIND_SERVICE (DHCP port 67, TFTP port 69), and dnsmasq.",
            "Keeps serving PXE with its last settings while the server is unreachable, and reconnects by itself."
        })
public final class DistributorAgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--server",
            required = true,
            defaultValue = "${env:PROVISIONER_URL}",
            description = "The server's URL, e.g. https://provisioner.example:8080 (env PROVISIONER_URL).")
    String server;

    @Option(
            names = "--artifact-id",
            required = true,
            defaultValue = "${env:PROVISIONER_ARTIFACT_ID}",
            description = "The artifactId this distributor serves; must be the one its token was created for.")
    String artifactId;

    @Option(
            names = "--token",
            defaultValue = "${env:PROVISIONER_DISTRIBUTOR_TOKEN}",
            description = "The enrollment token from POST /api/distributors/tokens (env PROVISIONER_DISTRIBUTOR_TOKEN;"
                    + " prefer it or --token-file: a command line is visible to every user of the machine).")
    String token;

    @Option(names = "--token-file", description = "A file holding the enrollment token.")
    Path tokenFile;

    @Option(
            names = "--state-dir",
            defaultValue = "${env:PROVISIONER_DISTRIBUTOR_DIR:-/var/lib/provisioner/distributor}",
            description =
                    "Where the agent keeps its settings, dnsmasq configuration and TFTP root (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--hostname", description = "The name this distributor registers with (default: this machine's).")
    String hostname;

    @Option(
            names = "--dnsmasq",
            defaultValue = "dnsmasq",
            description = "The dnsmasq program (default: ${DEFAULT-VALUE} from PATH, /usr/sbin or /sbin).")
    String dnsmasq;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DistributorAgentCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        String secret = token();
        if (!NodeAddresses.isArtifactId(artifactId)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--artifact-id must be 1 to 253 letters, digits and . _ : -, got '" + artifactId + "'");
        }
        URI serverUri = serverUri();
        String name = hostname != null ? hostname : localHostname();
        if (!NodeAddresses.isHostname(name)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--hostname must be a DNS host name, got '" + name + "'");
        }
        Path dir = stateDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tftpRoot = dir.resolve("tftp");
        Files.createDirectories(tftpRoot);
        Files.setPosixFilePermissions(tftpRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        requireReachableByOthers(tftpRoot);

        ObjectMapper json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ServerLink link = new ServerLink(serverUri, secret, json);
        EventOutbox outbox = new EventOutbox(new BootLogParser(tftpRoot, NeighbourTable.system()), Clock.systemUTC());
        DnsmasqService pxe = new DnsmasqService(program(dnsmasq), dir, outbox);
        pxe.stopLeftover();
        CommandHandler commands = new CommandHandler(
                dir,
                new StateFile(dir.resolve("state.json"), json),
                new BootloaderDownloads(tftpRoot, link),
                pxe,
                new ScriptRunner(link, new SshNodeShell()));
        String version = getClass().getPackage().getImplementationVersion();
        Agent agent = new Agent(link, commands, outbox, pxe, artifactId, name, version == null ? "dev" : version);
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "distributor-shutdown"));
        spec.commandLine().getOut().printf("distributor for %s: server %s, state in %s%n", artifactId, serverUri, dir);
        spec.commandLine().getOut().flush();
        agent.run();
        return 0;
    }

    /** dnsmasq drops root and serves TFTP as nobody, so every directory above the TFTP root must let others in. */
    private void requireReachableByOthers(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p)
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "dnsmasq serves TFTP as user nobody and cannot enter " + p + ": allow it (chmod o+x " + p
                                + ") or choose another --state-dir");
            }
        }
    }

    private String token() {
        String value = token;
        if (tokenFile != null) {
            try {
                value = Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --token-file " + tokenFile, e);
            }
        }
        if (value == null || value.isBlank()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "a distributor token is required: --token, --token-file or PROVISIONER_DISTRIBUTOR_TOKEN"
                            + " (create one with POST /api/distributors/tokens)");
        }
        return value.strip();
    }

    private URI serverUri() {
        try {
            URI uri = new URI(server.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new CommandLine.ParameterException(
                spec.commandLine(), "--server must be an http:// or https:// URL, got '" + server + "'");
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "distributor";
        }
    }

    /** {@code name} as given when it is a path, else found in PATH, /usr/sbin or /sbin. */
    static String program(String name) {
        if (name.contains("/")) {
            return name;
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return name;
    }
}
