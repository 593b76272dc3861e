package io.clusterplatform.provisioner.server.testing;

import static org.awaitility.Awaitility.await;

import com.sun.security.auth.module.UnixSystem;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real, throwaway PostgreSQL server from Debian's {@code postgresql} package, for tests.
 *
 * <p>{@link #start()} runs {@code initdb} into a fresh directory under the system temp directory,
 * then starts {@code postgres} on a free loopback port (127.0.0.1 only, trust authentication) with
 * its unix socket in that directory. PostgreSQL refuses to run as root, so when the tests run as
 * root both run as the {@code postgres} system user through {@code runuser} and the directory is
 * given to that user. {@code postgres} runs as a child of this JVM (not daemonized by {@code pg_ctl
 * start}), so that no exited server is left for init to reap. {@link #close()} stops it with {@code
 * pg_ctl stop -m fast} and deletes the directory; a JVM shutdown hook does the same if close is
 * never called, and the next start removes what a killed JVM left behind.
 *
 * <p>Tests do not use this class directly but {@code @UseBackend(Backend.POSTGRESQL)}, which starts
 * one server for the whole test run and gives each test class its own database.
 */
public final class PostgresServer implements ExtensionContext.Store.CloseableResource {
    public static final String SUPERUSER = "postgres";
    private static final Path INSTALL_ROOT = Path.of("/usr/lib/postgresql");
    private static final String SYSTEM_USER = "postgres";
    private static final String DIR_PREFIX = "provisioner-pg-";
    private static final String OWNER_FILE = "owner.pid";
    private static final int START_ATTEMPTS = 3;
    private static final System.Logger log = System.getLogger(PostgresServer.class.getName());

    private final Path bin;
    private final Path root;
    private final boolean asRoot;
    private final AtomicInteger databases = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private Process process;
    private int port;

    private PostgresServer(Path bin, Path root, boolean asRoot) {
        this.bin = bin;
        this.root = root;
        this.asRoot = asRoot;
        this.shutdownHook = new Thread(this::stopAndDelete, "stop PostgreSQL in " + root);
    }

    /** Creates a cluster in a new temporary directory and starts it; fails if PostgreSQL is missing. */
    public static PostgresServer start() {
        Path bin = findBinaries(INSTALL_ROOT);
        boolean asRoot = new UnixSystem().getUid() == 0;
        removeLeftoversOfKilledRuns();
        Path root;
        try {
            root = Files.createTempDirectory(DIR_PREFIX);
            Files.writeString(
                    root.resolve(OWNER_FILE),
                    Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for PostgreSQL: " + e.getMessage(), e);
        }
        PostgresServer server = new PostgresServer(bin, root, asRoot);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            long started = System.nanoTime();
            server.initialize();
            server.startOnFreePort();
            log.log(
                    System.Logger.Level.INFO,
                    "PostgreSQL {0} runs on 127.0.0.1:{1,number,#} in {2} (initdb and start: {3,number,#} ms)",
                    bin.getParent().getFileName(),
                    server.port,
                    root,
                    (System.nanoTime() - started) / 1_000_000);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of a database on this server; the user is {@link #SUPERUSER}, no password. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a new, empty database whose name starts with a cleaned-up {@code hint}; returns its name. */
    public String createDatabase(String hint) {
        String cleaned = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        String name = "t" + databases.incrementAndGet() + "_" + cleaned;
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        execute("CREATE DATABASE \"" + name + "\"");
        return name;
    }

    /** Drops a database, ending the connections still open to it. */
    public void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS \"" + name.replace("\"", "") + "\" WITH (FORCE)");
    }

    /** The directory with the cluster, its socket directory and logs. */
    Path directory() {
        return root;
    }

    /** The running postmaster (whose parent is this JVM, or runuser when root). */
    ProcessHandle postmaster() {
        return readPid(root.resolve("data/postmaster.pid"))
                .flatMap(ProcessHandle::of)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL is not running in " + root));
    }

    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Already running the hook, which is this same method.
        }
    }

    /** The bin directory of the newest PostgreSQL under {@code installRoot}, or a failure saying what to install. */
    static Path findBinaries(Path installRoot) {
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(installRoot)) {
            try (Stream<Path> versions = Files.list(installRoot)) {
                versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb"))
                                && Files.isExecutable(v.resolve("bin/postgres"))
                                && Files.isExecutable(v.resolve("bin/pg_ctl")))
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .max(Comparator.comparingDouble(
                        v -> Double.parseDouble(v.getFileName().toString())))
                .map(v -> v.resolve("bin"))
                .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: no initdb, pg_ctl and"
                        + " postgres under " + installRoot + "/<version>/bin. The store tests need a real PostgreSQL:"
                        + " install the postgresql package (apt-get install -y postgresql):"
                        + " scripts/run-tests.sh does it"));
    }

    private void initialize() {
        try {
            Files.createDirectories(root.resolve("socket"));
            if (asRoot) {
                requireReachableBySystemUser(root.getParent());
                giveToSystemUser(root);
                giveToSystemUser(root.resolve("socket"));
                giveToSystemUser(root.resolve(OWNER_FILE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + root + " for PostgreSQL: " + e.getMessage(), e);
        }
        run(
                Timeouts.process(),
                root.resolve("initdb.log"),
                bin.resolve("initdb").toString(),
                "--pgdata=" + root.resolve("data"),
                "--username=" + SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync");
    }

    /** The postgres user must be able to walk down to the cluster directory, e.g. not under /root. */
    private static void requireReachableBySystemUser(Path dir) throws IOException {
        for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("the postgres system user cannot enter " + d + ", so PostgreSQL"
                        + " cannot run under " + dir + ": point java.io.tmpdir at a directory it can reach, e.g. /tmp");
            }
        }
    }

    private void giveToSystemUser(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(users.lookupPrincipalByName(SYSTEM_USER));
            view.setGroup(users.lookupPrincipalByGroupName(SYSTEM_USER));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IllegalStateException(
                    "the system user '" + SYSTEM_USER + "' does not exist, and PostgreSQL"
                            + " cannot run as root: install the postgresql package (apt-get install -y postgresql),"
                            + " which creates it: scripts/run-tests.sh does it",
                    e);
        }
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = freeLoopbackPort();
            Path logFile = root.resolve("postgres.log");
            ProcessBuilder builder = command(
                            bin.resolve("postgres").toString(),
                            "-D",
                            root.resolve("data").toString(),
                            "-c",
                            "listen_addresses=127.0.0.1",
                            "-c",
                            "port=" + port,
                            "-c",
                            "unix_socket_directories=" + root.resolve("socket"),
                            // Nothing here must survive a crash of the machine; these make tests faster.
                            "-c",
                            "fsync=off",
                            "-c",
                            "synchronous_commit=off",
                            "-c",
                            "full_page_writes=off")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + bin.resolve("postgres") + ": " + e.getMessage(), e);
            }
            await("PostgreSQL accepting connections on 127.0.0.1:" + port)
                    .atMost(Timeouts.startup())
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || accepts());
            if (process.isAlive()) {
                return;
            }
            String output = tail(logFile);
            boolean portTaken = output.contains("could not bind") || output.contains("could not create any TCP/IP");
            if (!portTaken || attempt == START_ATTEMPTS) {
                throw new IllegalStateException(
                        "PostgreSQL did not start (exit code " + process.exitValue() + "): " + output);
            }
        }
    }

    private boolean accepts() {
        try (Connection ignored = connect("postgres")) {
            return true;
        } catch (SQLException notYet) {
            return false;
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    private void execute(String sql) {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused '" + sql + "': " + e.getMessage(), e);
        }
    }

    private synchronized void stopAndDelete() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (process != null && process.isAlive()) {
                stop();
            }
        } finally {
            ThrowawayDirectory.deleteRecursively(root);
        }
    }

    private void stop() {
        try {
            run(
                    Timeouts.process(),
                    root.resolve("pg_ctl.log"),
                    bin.resolve("pg_ctl").toString(),
                    "stop",
                    "--pgdata=" + root.resolve("data"),
                    "--mode=fast",
                    "--wait",
                    "--timeout=" + Timeouts.process().toSeconds());
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "pg_ctl stop failed, killing PostgreSQL: " + e.getMessage());
        }
        try {
            if (!process.waitFor(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process.toHandle());
                process.waitFor(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process.toHandle());
        }
    }

    private static void killTree(ProcessHandle handle) {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
    }

    /** Runs a PostgreSQL tool to its end (as the postgres user when we are root); fails with its output. */
    private void run(Duration timeout, Path logFile, String... command) {
        try {
            Process tool = command(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(tool.toHandle());
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish within " + timeout + ": " + tail(logFile));
            }
            if (tool.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + tool.exitValue()
                        + ": " + tail(logFile));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
    }

    private ProcessBuilder command(String... command) {
        List<String> line = new ArrayList<>();
        if (asRoot) {
            line.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).directory(root.toFile());
        builder.environment().put("LC_ALL", "C.UTF-8");
        return builder;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface: " + e.getMessage(), e);
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops the servers and deletes the directories of earlier test JVMs that were killed before
     * their shutdown hook could run. Directories of JVMs that still run are left alone.
     */
    private static void removeLeftoversOfKilledRuns() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                Optional<Long> owner = readPid(dir.resolve(OWNER_FILE));
                if (owner.isEmpty() || ProcessHandle.of(owner.get()).isPresent()) {
                    continue;
                }
                readPid(dir.resolve("data/postmaster.pid"))
                        .flatMap(ProcessHandle::of)
                        .filter(p -> p.info().command().orElse("").endsWith("/postgres"))
                        .ifPresent(postmaster -> {
                            killTree(postmaster);
                            postmaster
                                    .onExit()
                                    .orTimeout(Timeouts.process().toMillis(), TimeUnit.MILLISECONDS)
                                    .join();
                        });
                ThrowawayDirectory.deleteRecursively(dir);
                log.log(System.Logger.Level.INFO, "Removed {0}, left behind by a killed test run", dir);
            }
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "Could not remove what killed test runs left in " + tmp + ": " + e);
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
