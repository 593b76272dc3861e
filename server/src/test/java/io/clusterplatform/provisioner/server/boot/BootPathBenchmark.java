package io.clusterplatform.provisioner.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.PostgresServer;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The boot data path: what booting hosts ask of the server, against the server in a process of its
 * own ({@link ServerProcess}, -Xmx512m, the backend of {@code -Dbenchmark.backend}, H2 by default),
 * each next to a reference measured in the same run on the same loopback and the same 2 cores:
 *
 * <ol>
 *   <li>{@code GET /api/mainscripts/{id}}, an iPXE script of about 600 bytes as raw text with no token, with wrk
 *       at 1 connection, 200 connections, and 1 and 50 connections reconnecting for every request
 *       ({@code Connection: close}); reference: nginx ({@link Nginx}) serving the same bytes as a file;
 *   <li>downloads of boot assets ({@code /assets/{name}}): one 256 MiB file with curl (median of 3),
 *       and a 3 MiB file 10 at a time with wrk; reference: nginx serving the same files;
 *   <li>registrations ({@code POST /api/localnodes?ip=..&artifactId=..&pingable=true}, no token) from
 *       50 connections, a new address each time, with 0, 10,000 and 100,000 nodes registered before
 *       ({@code -Dbenchmark.existing}; PostgreSQL filled with SQL, H2 through the API);
 *       reference: pgbench doing the same rows' SQL (upsert of the node, its node event and its host
 *       fetch) from 50 connections on the same PostgreSQL, in a database of its own with the server's
 *       schema (Flyway, the same migrations) and the same number of existing nodes;
 *   <li>resident memory (VmRSS) of the idle server after its start, and after the run, against
 *       nginx's (master and workers);
 *   <li>an iPXE build ({@code POST /api/ipxes}, x86_64 EFI) from the request to {@code status: done},
 *       polled every 5 ms, median of 10; reference: the same files made by hand with the same tools
 *       (cp, mkfs.vfat, mmd, mcopy, sha256sum) from a bash script.
 * </ol>
 *
 * Each load runs {@code -Dbenchmark.seconds} (default 10); before the mainscript and the registrations,
 * unmeasured rounds of that length warm the server's JIT up until its rate settles (the warm-up's
 * nodes are deleted again). Not part of the test suite (surefire skips
 * *Benchmark); it asserts only that requests were made. Needs wrk, nginx and PostgreSQL (the Debian
 * packages wrk, nginx-light, postgresql; scripts/run-benchmark.sh installs them). Writes the tables to
 * server/target/benchmarks/boot-path-&lt;backend&gt;.md:
 *
 * <pre>
 * scripts/run-benchmark.sh BootPathBenchmark -Dbenchmark.backend=H2 -Dbenchmark.seconds=5
 * </pre>
 */
class BootPathBenchmark {
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 10);
    private static final Backend BACKEND = Backend.valueOf(System.getProperty("benchmark.backend", "H2"));
    private static final Duration LOAD = Duration.ofSeconds(SECONDS);
    /**
     * Unmeasured load before the mainscript and the registrations, for the JIT: rounds of the load's
     * length until a round's rate is within 10% of the one before, at most this many.
     */
    private static final int WARM_UP_ROUNDS = 6;

    /** How many nodes exist before each registration run (-Dbenchmark.existing, comma-separated). */
    private static final List<Integer> EXISTING_NODES = Arrays.stream(
                    System.getProperty("benchmark.existing", "0,10000,100000").split(","))
            .map(String::strip)
            .map(Integer::valueOf)
            .toList();

    private static final int REGISTERING_CONNECTIONS = 50;
    private static final int DOWNLOAD_RUNS = 3;
    private static final int BUILDS = 10;
    private static final long MIB = 1024 * 1024;
    private static final String BIG_ASSET = "bench-256m.bin";
    private static final String SMALL_ASSET = "bench-3m.bin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static int servedScriptBytes;
    private static String loadBefore = "";
    private static List<Double> scriptWarmUp = List.of();
    private static List<Double> downloadWarmUp = List.of();
    private static List<Double> reconnectWarmUp = List.of();
    private static List<Double> registrationWarmUp = List.of();

    /** A mainscript in the shape of the original API's (a menu chaining subscripts by {{server}}), about 600 bytes as served. */
    static final String MAINSCRIPT = """
            #!ipxe
            # Boot menu of a benchmark site: every host of the LAN fetches this first.
            set menu-timeout 1000
            isset ${menu-default} || set menu-default fedora
            :start
            menu Cluster Platform: choose what this host boots
            item fedora    Fedora CoreOS (installs to the first disk)
            item debian    Debian netinstall (kickstarted)
            item rescue    Rescue shell (runs from memory)
            item exit      Boot from the local disk
            choose --timeout ${menu-timeout} --default ${menu-default} target && goto ${target}
            :fedora
            chain {{server}}/api/subscripts/1 || goto start
            :debian
            chain {{server}}/api/subscripts/2 || goto start
            :rescue
            chain {{server}}/api/subscripts/3 || goto start
            :exit
            exit
            """;

    /** Lua for wrk: POST a registration of a new address per request (or of {@code modulo} per thread). */
    static final String REGISTRATIONS = """
            local created = 0
            function setup(thread)
              thread:set("tid", created)
              created = created + 1
            end
            function init(args)
              n = 0
              artifact = args[1]
              first = tonumber(args[2])
              modulo = tonumber(args[3])
              quota = tonumber(args[4])
              answered = 0
            end
            function request()
              local i = n
              n = n + 1
              if modulo > 0 then i = i % modulo end
              local ip = string.format("%d.%d.%d.%d", first + tid, math.floor(i / 65536) % 256,
                math.floor(i / 256) % 256, i % 256)
              return wrk.format("POST", "/api/localnodes?ip=" .. ip .. "&artifactId=" .. artifact .. "&pingable=true")
            end
            """;

    /** Added to {@link #REGISTRATIONS} for filling the table: each thread stops after its quota of answers. */
    private static final String STOP_AFTER_QUOTA = """
            function response(status, headers, body)
              answered = answered + 1
              if answered >= quota then wrk.thread:stop() end
            end
            """;

    /**
     * pgbench's registration: what the server's SQL leaves behind for a new node, as one upsert of the
     * node, the node event and the host fetch, each in its own transaction (autocommit, as the server's
     * are). Addresses as wrk's: 10+client.b.c.d from a per-client counter {@code n}, cycling over
     * {@code m} of them.
     */
    private static String pgbenchRegistration(String artifactId) {
        return """
                \\set i :n %% :m
                \\set a :first + :client_id
                \\set b (:i / 65536) %% 256
                \\set c (:i / 256) %% 256
                \\set d :i %% 256
                \\set n :n + 1
                INSERT INTO localnodes (ip, artifact_id, pingable, first_seen, last_seen)
                    VALUES (concat(:a::text, '.', :b::text, '.', :c::text, '.', :d::text), '%1$s', true, now(), now())
                    ON CONFLICT (ip, artifact_id) DO UPDATE SET pingable = EXCLUDED.pingable, last_seen = EXCLUDED.last_seen
                    RETURNING id, ip \\gset
                INSERT INTO node_events (node_id, at, kind, detail)
                    VALUES (:id, now(), 'registered', concat('registered from ', :ip::text, ' with artifactId %1$s, pingable=true'));
                INSERT INTO host_fetches (at, client_ip, method, path, status, bytes)
                    VALUES (now(), '127.0.0.1', 'POST', '/api/localnodes?artifactId=%1$s', 201, 420);
                """.formatted(artifactId);
    }

    record Side(Wrk.Result server, Wrk.Result nginx) {}

    record ScriptRow(String way, int connections, Side side) {}

    record Registrations(
            int target, long serverExisting, Wrk.Result server, long referenceExisting, Pgbench.Result reference) {}

    record Memory(long serverStartKib, long nginxStartKib, long serverEndKib, long nginxEndKib) {}

    record Builds(double[] serverMs, double[] byHandMs, String note) {}

    @Test
    void bootDataPath() throws Exception {
        Programs.find("wrk", "wrk");
        Programs.find("nginx", "nginx (or nginx-light)");
        Programs.find("curl", "curl");
        Programs.postgres("pgbench");
        long started = System.nanoTime();
        loadBefore = loadAverage();
        PostgresServer postgres = PostgresServer.start();
        String reference = postgres.createDatabase("pgbench_reference");
        String report;
        try (BackendDatabase database = BACKEND == Backend.POSTGRESQL
                        ? BackendDatabase.postgres(postgres, "bootpath")
                        : BackendDatabase.h2();
                ThrowawayDirectory work = ThrowawayDirectory.create("provisioner-bootpath-");
                ServerProcess server = ServerProcess.start(database.dataDir(), serverArguments(database))) {
            Thread.sleep(Duration.ofSeconds(3)); // what runs once after the start settles
            long serverStart = rssKib(ProcessHandle.of(server.pid()).orElseThrow());
            migrate(postgres, reference);
            Path www = Files.createDirectories(work.path().resolve("www"));
            Api operator = server.api().asOperator();
            String scriptPath = createMainscript(operator, www);
            createAssets(operator, www);
            Wrk wrk = new Wrk(work.path());
            Pgbench pgbench = new Pgbench(work.path());
            try (Nginx nginx = Nginx.serve(www, work.path().resolve("nginx"))) {
                Thread.sleep(Duration.ofSeconds(1));
                long nginxStart = rssKib(nginx.master());
                assertThat(Api.at(nginx.port()).get(scriptPath).body())
                        .isEqualTo(server.api().get(scriptPath).body());
                String serverUrl = "http://127.0.0.1:" + server.port();
                String nginxUrl = "http://127.0.0.1:" + nginx.port();

                List<ScriptRow> scripts = scripts(wrk, serverUrl + scriptPath, nginxUrl + scriptPath);
                double[][] big = bigDownloads(serverUrl, nginxUrl);
                // Not measured: the JIT's first seconds on the download path (the script warm-up did not
                // run it: until this settles a fresh server does about 0.65 of its settled rate).
                downloadWarmUp =
                        warmUp(round -> wrk.run(serverUrl + "/assets/" + SMALL_ASSET, 10, 2, LOAD, List.of(), ""));
                Side small = both(
                        url -> wrk.run(url + "/assets/" + SMALL_ASSET, 10, 2, LOAD, List.of(), ""),
                        serverUrl,
                        nginxUrl);
                List<Registrations> registrations = registrations(wrk, pgbench, server, database, postgres, reference);
                Builds builds = builds(operator, work.path());

                Thread.sleep(Duration.ofSeconds(3));
                Memory memory = new Memory(
                        serverStart,
                        nginxStart,
                        rssKib(ProcessHandle.of(server.pid()).orElseThrow()),
                        rssKib(nginx.master()));
                report = report(scripts, big, small, registrations, memory, builds, started);
            } catch (Exception | Error e) {
                keepServerLog(database.dataDir());
                throw e;
            }
        } finally {
            try {
                postgres.dropDatabase(reference);
            } finally {
                postgres.close();
            }
        }
        System.out.println(report);
        Path out = Path.of("target", "benchmarks", "boot-path-" + BACKEND.name().toLowerCase(Locale.ROOT) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    // ---- the server and its content ----

    /** Copies the server's log out of its data directory (deleted at the end) into target/benchmarks. */
    private static void keepServerLog(Path dataDir) throws IOException {
        Path log = dataDir.resolve("logs/server.log");
        if (Files.exists(log)) {
            Path kept = Path.of(
                    "target", "benchmarks", "boot-path-" + BACKEND.name().toLowerCase(Locale.ROOT) + "-server.log");
            Files.createDirectories(kept.getParent());
            Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            progress("failed; the server's log is in " + kept.toAbsolutePath());
        }
    }

    /** The database's settings without its data directory, which ServerProcess names itself; iPXE as the setup found it. */
    private static String[] serverArguments(BackendDatabase database) {
        List<String> arguments = new ArrayList<>(database.serverArguments().stream()
                .filter(arg -> !arg.startsWith("--provisioner.data-dir="))
                .toList());
        arguments.add("--provisioner.bootloaders.ipxe-dir=" + ipxeDir());
        return arguments.toArray(String[]::new);
    }

    /** Where the server finds iPXE: PROVISIONER_IPXE_DIR, else the setup scripts' default directory. */
    private static Path ipxeDir() {
        String exported = System.getenv("PROVISIONER_IPXE_DIR");
        if (exported != null && !exported.isBlank()) {
            return Path.of(exported);
        }
        return "root".equals(System.getProperty("user.name"))
                ? Path.of("/var/lib/provisioner/bootloaders/ipxe")
                : Path.of(System.getProperty("user.home"), ".cache/provisioner/bootloaders/ipxe");
    }

    /** Stores the mainscript and writes the bytes the server answers for it where nginx serves the same path. */
    private static String createMainscript(Api operator, Path www) throws IOException {
        // The size of the script as served ({{server}} filled in) goes into the report.
        Api.Response created = operator.post(
                "/api/mainscripts", JSON.writeValueAsString(Map.of("name", "bench menu", "text", MAINSCRIPT)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String path = "/api/mainscripts/" + created.json().get("id").asLong();
        Api anonymous = Api.at(operator.base().getPort()); // as a booting host asks: no token
        HttpResponse<byte[]> raw =
                anonymous.send(anonymous.builder(path).GET(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        Path file = www.resolve(path.substring(1));
        Files.createDirectories(file.getParent());
        Files.write(file, raw.body());
        servedScriptBytes = raw.body().length;
        return path;
    }

    /** Random content (1 MiB repeated) for both assets, uploaded to the server and put where nginx serves them. */
    private static void createAssets(Api operator, Path www) throws IOException {
        Path assets = Files.createDirectories(www.resolve("assets"));
        byte[] block = new byte[(int) MIB];
        new SecureRandom().nextBytes(block);
        for (Map.Entry<String, Integer> asset :
                Map.of(BIG_ASSET, 256, SMALL_ASSET, 3).entrySet()) {
            Path file = assets.resolve(asset.getKey());
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int i = 0; i < asset.getValue(); i++) {
                    out.write(block);
                }
            }
            HttpResponse<String> uploaded = operator.send(
                    operator.builder("/api/assets/" + asset.getKey())
                            .timeout(Duration.ofMinutes(5))
                            .PUT(HttpRequest.BodyPublishers.ofFile(file)),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        }
    }

    // ---- 1. the mainscript ----

    private static List<ScriptRow> scripts(Wrk wrk, String serverUrl, String nginxUrl) {
        List<ScriptRow> rows = new ArrayList<>();
        // Not measured: the JIT's first seconds on this path.
        scriptWarmUp = warmUp(round -> wrk.run(serverUrl, 10, 2, LOAD, List.of(), ""));
        rows.add(new ScriptRow("keep-alive", 1, script(wrk, serverUrl, nginxUrl, 1, 1, List.of())));
        rows.add(new ScriptRow("keep-alive", 200, script(wrk, serverUrl, nginxUrl, 200, 2, List.of())));
        // Not measured: the JIT's first seconds on the accept path, which keep-alive does not take.
        List<String> close = List.of("Connection: close");
        reconnectWarmUp = warmUp(round -> wrk.run(serverUrl, 50, 2, LOAD, close, ""));
        String way = "new connection per request (Connection: close)";
        rows.add(new ScriptRow(way, 1, script(wrk, serverUrl, nginxUrl, 1, 1, close)));
        // many hosts at once, each reconnecting: what a boot storm's iPXEs do
        rows.add(new ScriptRow(way, 50, script(wrk, serverUrl, nginxUrl, 50, 2, close)));
        return rows;
    }

    /** Runs {@code round} (numbered from 1) until its rate settles; answers the rates, req/s. */
    private static List<Double> warmUp(java.util.function.IntFunction<Wrk.Result> round) {
        List<Double> rates = new ArrayList<>();
        for (int i = 1; i <= WARM_UP_ROUNDS; i++) {
            rates.add(round.apply(i).perSecond());
            if (rates.size() >= 2 && Math.abs(rates.getLast() / rates.get(rates.size() - 2) - 1) < 0.1) {
                break;
            }
        }
        progress("warm-up rounds, req/s: " + rates);
        return rates;
    }

    private static Side script(
            Wrk wrk, String serverUrl, String nginxUrl, int connections, int threads, List<String> headers) {
        Wrk.Result server = wrk.run(serverUrl, connections, threads, LOAD, headers, "");
        Wrk.Result nginx = wrk.run(nginxUrl, connections, threads, LOAD, headers, "");
        progress("mainscript, " + connections + " connections " + headers + ": server " + server + "; nginx " + nginx);
        assertThat(server.requests()).isPositive();
        assertThat(nginx.requests()).isPositive();
        return new Side(server, nginx);
    }

    private interface Load {
        Wrk.Result at(String baseUrl);
    }

    private static Side both(Load load, String serverUrl, String nginxUrl) {
        Wrk.Result server = load.at(serverUrl);
        Wrk.Result nginx = load.at(nginxUrl);
        progress("server " + server + "; nginx " + nginx);
        assertThat(server.requests()).isPositive();
        assertThat(nginx.requests()).isPositive();
        return new Side(server, nginx);
    }

    // ---- 2. downloads ----

    /** MB/s (10^6 bytes) of the 256 MiB asset with curl: [server runs, nginx runs], taking turns, after one warm-up each. */
    private static double[][] bigDownloads(String serverUrl, String nginxUrl) {
        curl(serverUrl + "/assets/" + BIG_ASSET);
        curl(nginxUrl + "/assets/" + BIG_ASSET);
        double[] server = new double[DOWNLOAD_RUNS];
        double[] nginx = new double[DOWNLOAD_RUNS];
        for (int i = 0; i < DOWNLOAD_RUNS; i++) {
            server[i] = curl(serverUrl + "/assets/" + BIG_ASSET);
            nginx[i] = curl(nginxUrl + "/assets/" + BIG_ASSET);
        }
        progress("256 MiB MB/s: server " + Arrays.toString(server) + ", nginx " + Arrays.toString(nginx));
        return new double[][] {server, nginx};
    }

    private static double curl(String url) {
        Shell.Result r = Shell.run(
                List.of(
                        Programs.find("curl", "curl"),
                        "-sS",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code} %{size_download} %{speed_download}",
                        url),
                Timeouts.process().plusMinutes(5));
        assertThat(r.exitCode()).as(url + ": " + r.stderr()).isZero();
        String[] fields = r.stdout().trim().split(" ");
        assertThat(fields[0]).as(url).isEqualTo("200");
        assertThat(Long.parseLong(fields[1])).as(url).isEqualTo(256 * MIB);
        return Double.parseDouble(fields[2]) / 1e6;
    }

    // ---- 3. registrations ----

    private static List<Registrations> registrations(
            Wrk wrk,
            Pgbench pgbench,
            ServerProcess server,
            BackendDatabase database,
            PostgresServer postgres,
            String reference)
            throws Exception {
        String url = "http://127.0.0.1:" + server.port() + "/api/localnodes";
        // Not measured: registering new nodes (192+thread.b.c.d, artifactId warmup-N) on both, for the JIT
        // and caches; then they are deleted (the server's through its API, the reference's before its
        // first run), so that the first runs start with none.
        registrationWarmUp = warmUp(round -> wrk.run(
                url, REGISTERING_CONNECTIONS, 2, LOAD, List.of(), REGISTRATIONS, "warmup-" + round, "192", "0", "0"));
        deleteAllNodes(server);
        pgbench.run(
                postgres,
                reference,
                pgbenchRegistration("warmup"),
                REGISTERING_CONNECTIONS,
                2,
                LOAD,
                "n=0",
                "m=1000000000",
                "first=192");
        List<Registrations> rows = new ArrayList<>();
        // H2: the nodes the server has answered for (every new address answered below 400); its list API
        // cannot count them (see topUpThroughApi). PostgreSQL: counted with SQL.
        long answered = 0;
        for (int target : EXISTING_NODES) {
            long serverExisting;
            if (BACKEND == Backend.POSTGRESQL) {
                serverExisting = topUpWithSql(database.jdbcUrl(), target);
            } else {
                answered = topUpThroughApi(wrk, server, answered, target);
                serverExisting = answered;
            }
            Wrk.Result registered = wrk.run(
                    url, REGISTERING_CONNECTIONS, 2, LOAD, List.of(), REGISTRATIONS, "bench-" + target, "10", "0", "0");
            assertThat(registered.requests()).isPositive();
            answered += registered.requests() - registered.httpErrors();
            long referenceExisting = matchReference(postgres.jdbcUrl(reference), serverExisting);
            Pgbench.Result upserted = pgbench.run(
                    postgres,
                    reference,
                    pgbenchRegistration("pgbench-" + target),
                    REGISTERING_CONNECTIONS,
                    2,
                    LOAD,
                    "n=0",
                    "m=1000000000",
                    "first=10");
            assertThat(upserted.transactions()).isPositive();
            progress("registrations with " + serverExisting + " / " + referenceExisting + " existing: server "
                    + registered + "; pgbench " + upserted);
            rows.add(new Registrations(target, serverExisting, registered, referenceExisting, upserted));
        }
        return rows;
    }

    /**
     * Deletes every node through the API ({@code DELETE /api/localnodes/{id}}, their events go with
     * them), 16 at a time: ids are given in order from 1, and one more registration tells the highest.
     * Registrations still in flight when wrk stopped may land after that one: then it goes again.
     */
    private static void deleteAllNodes(ServerProcess server) throws Exception {
        Api operator = server.api().asOperator();
        for (int pass = 1; ; pass++) {
            Thread.sleep(Duration.ofSeconds(1));
            Api.Response last = server.api().post("/api/localnodes?ip=192.255.255.255&artifactId=warmup&pingable=true");
            assertThat(last.status()).as(last.toString()).isIn(200, 201);
            long lastId = last.json().get("id").asLong();
            List<Future<Integer>> deleted = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
                for (long id = 1; id <= lastId; id++) {
                    String path = "/api/localnodes/" + id;
                    deleted.add(threads.submit(() -> operator.delete(path).status()));
                }
            }
            for (Future<Integer> status : deleted) {
                assertThat(status.get()).isIn(204, 404);
            }
            Api.Response page = operator.getJson("/api/localnodes?pageSize=1");
            long left = page.json().get("total").asLong();
            progress("deleted the nodes of the warm-up up to id " + lastId + ", " + left + " left");
            if (left == 0) {
                return;
            }
            assertThat(pass).as("passes to delete the warm-up's nodes: " + page).isLessThan(3);
        }
    }

    /** The reference database gets the server's schema from the same migrations. */
    private static void migrate(PostgresServer postgres, String database) {
        Flyway.configure()
                .dataSource(postgres.jdbcUrl(database), PostgresServer.SUPERUSER, "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /**
     * Fills localnodes up to {@code target} rows with SQL (generate_series): nodes at 100.b.c.d with
     * artifactId prefill-{target}, one registration event and one host fetch each, as a registration
     * leaves them; then VACUUM ANALYZE. Answers the rows there are.
     */
    private static long topUpWithSql(String jdbcUrl, long target) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", PostgresServer.SUPERUSER);
        try (Connection c = DriverManager.getConnection(jdbcUrl, properties);
                Statement s = c.createStatement()) {
            long missing = target - count(s);
            if (missing > 0) {
                String artifactId = "prefill-" + target;
                s.execute("INSERT INTO localnodes (ip, artifact_id, pingable, first_seen, last_seen)"
                        + " SELECT concat('100.', (x / 65536) % 256, '.', (x / 256) % 256, '.', x % 256), '"
                        + artifactId + "', true, now(), now() FROM generate_series(0, " + (missing - 1) + ") AS g(x)");
                s.execute("INSERT INTO node_events (node_id, at, kind, detail) SELECT id, last_seen, 'registered',"
                        + " concat('registered from ', ip, ' with artifactId ', artifact_id, ', pingable=true')"
                        + " FROM localnodes WHERE artifact_id = '" + artifactId + "'");
                s.execute("INSERT INTO host_fetches (at, client_ip, method, path, status, bytes)"
                        + " SELECT now(), '127.0.0.1', 'POST', '/api/localnodes?artifactId=" + artifactId
                        + "', 201, 420 FROM generate_series(1, " + missing + ")");
            }
            // What autovacuum would do meanwhile (the mainscript runs left many host fetches), so that it
            // does not do it during the run.
            s.execute("VACUUM ANALYZE localnodes, node_events, host_fetches");
            return count(s);
        }
    }

    /**
     * Gives the reference as many nodes as the server had before its run: the rows of the warm-up and
     * the earlier pgbench runs go (with their events and host fetches), and SQL fills up the rest.
     */
    private static long matchReference(String jdbcUrl, long serverExisting) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", PostgresServer.SUPERUSER);
        try (Connection c = DriverManager.getConnection(jdbcUrl, properties);
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM host_fetches WHERE path NOT LIKE '/api/localnodes?artifactId=prefill-%'");
            s.execute(
                    "DELETE FROM localnodes WHERE artifact_id NOT LIKE 'prefill-%'"); // node_events: ON DELETE CASCADE
        }
        return topUpWithSql(jdbcUrl, serverExisting);
    }

    private static long count(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM localnodes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Fills localnodes up to about {@code target} rows through the API (the embedded database cannot
     * be opened while the server has it): wrk registers new nodes at 100+thread.b.c.d, artifactId
     * prefill-{target}-{round}, in rounds of 3 s in which each thread stops after its share of what is
     * missing (a stopped thread does not end wrk's run). The rows are counted from the registrations
     * answered below 400 ({@code existing} before), not with {@code GET /api/localnodes}: on H2 that
     * answers 500 once some 20,000 nodes exist (an H2 NullPointerException on the list's LIMIT
     * parameter, seen 2026-12-02). Answers the rows there are then.
     */
    private static long topUpThroughApi(Wrk wrk, ServerProcess server, long existing, int target) {
        for (int round = 1; existing < target; round++) {
            long perThread = (target - existing + 1) / 2;
            Wrk.Result filled = wrk.run(
                    "http://127.0.0.1:" + server.port() + "/api/localnodes",
                    REGISTERING_CONNECTIONS,
                    2,
                    Duration.ofSeconds(3),
                    List.of(),
                    REGISTRATIONS + STOP_AFTER_QUOTA,
                    "prefill-" + target + "-" + round,
                    "100",
                    "0",
                    Long.toString(perThread));
            existing += filled.requests() - filled.httpErrors();
            progress("filled localnodes through the API to about " + existing + " of " + target);
        }
        return existing;
    }

    // ---- 5. iPXE builds ----

    private static Builds builds(Api operator, Path work) throws Exception {
        Path binary = ipxeDir().resolve("ipxe-amd64.efi");
        if (!Files.isReadable(binary)) {
            return new Builds(
                    new double[0],
                    new double[0],
                    "not measured: no " + binary
                            + " (scripts/run-tests.sh fetches iPXE 1.21+ and exports PROVISIONER_IPXE_DIR)");
        }
        String script = "#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/1\n";
        String body = JSON.writeValueAsString(
                Map.of("script", script, "platform", "bin-x86_64-efi", "driver", "ipxe", "extension", "efi"));
        build(operator, body); // warm-up
        double[] server = new double[BUILDS];
        double[] byHand = new double[BUILDS];
        for (int i = 0; i < BUILDS; i++) {
            server[i] = build(operator, body);
            byHand[i] = byHand(binary, script.replace("{{server}}", "http://127.0.0.1"), work);
        }
        progress("iPXE builds ms " + Arrays.toString(server) + ", by hand " + Arrays.toString(byHand));
        return new Builds(server, byHand, "");
    }

    /** Milliseconds from sending the build request to the first poll (every 5 ms) that sees it done. */
    private static double build(Api operator, String body) throws Exception {
        long sent = System.nanoTime();
        Api.Response created = operator.post("/api/ipxes", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        long deadline = sent + Timeouts.process().toNanos();
        while (true) {
            Api.Response polled = operator.getJson("/api/ipxes/" + id);
            String status = polled.json().get("status").asText();
            if (status.equals("done")) {
                return (System.nanoTime() - sent) / 1e6;
            }
            assertThat(status).as(polled.toString()).isIn("queued", "working");
            assertThat(System.nanoTime()).as("build " + id + " done in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** The build's files made by hand in bash: the binary, the script, the FAT image sized as FatImages does, their sha256. */
    private static double byHand(Path binary, String script, Path work) throws IOException {
        long content = Files.size(binary) + script.getBytes(StandardCharsets.UTF_8).length;
        long size = ((content + content / 10 + MIB) + MIB - 1) / MIB * MIB;
        Path scriptFile = work.resolve("byhand-script.ipxe");
        Files.writeString(scriptFile, script);
        String bash = String.join(
                "\n",
                "set -e",
                "d=$(mktemp -d -p " + work + ")",
                "cp " + binary + " $d/ipxe.efi",
                "cat " + scriptFile + " > $d/script.ipxe",
                "truncate -s " + size + " $d/ipxe.img",
                "mkfs.vfat $d/ipxe.img > /dev/null",
                "mmd -i $d/ipxe.img ::/EFI ::/EFI/BOOT",
                "mcopy -i $d/ipxe.img " + binary + " ::/EFI/BOOT/BOOTX64.EFI",
                "mcopy -i $d/ipxe.img $d/script.ipxe ::/autoexec.ipxe",
                "sha256sum $d/ipxe.efi $d/script.ipxe $d/ipxe.img > /dev/null",
                "rm -rf $d");
        long start = System.nanoTime();
        Shell.Result r = Shell.run(List.of("bash", "-c", bash), Timeouts.process());
        double ms = (System.nanoTime() - start) / 1e6;
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return ms;
    }

    // ---- 4. memory ----

    /** VmRSS of the process and its descendants (nginx's workers), KiB; shared pages count once per process. */
    private static long rssKib(ProcessHandle process) {
        long total = 0;
        for (ProcessHandle p : java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(process), process.descendants())
                .toList()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("\\D+", ""));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }

    /** The 1-minute load average: other builds on the same cores show here. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void progress(String what) {
        System.out.println("BOOT PATH " + BACKEND + ": " + what);
    }

    // ---- the tables ----

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static String list(double[] values) {
        return String.join(
                ", ",
                Arrays.stream(values)
                        .mapToObj(v -> String.format(Locale.ROOT, "%.0f", v))
                        .toList());
    }

    private static String rates(List<Double> rates) {
        return String.join(
                ", ",
                rates.stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList());
    }

    private static String wrkCells(Wrk.Result r) {
        return String.format(
                Locale.ROOT,
                "%.0f | %.2f | %.2f | %d | %s | %.2f",
                r.perSecond(),
                r.p50Ms(),
                r.p99Ms(),
                r.httpErrors(),
                r.errors(),
                r.connectionsPerRequest());
    }

    private static String report(
            List<ScriptRow> scripts,
            double[][] big,
            Side small,
            List<Registrations> registrations,
            Memory memory,
            Builds builds,
            long started) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Boot data path, %s, %d s per load, measured %s (%d s in all). Server in its own process"
                        + " (-Xmx512m); nginx %s with %d workers; wrk, nginx, PostgreSQL and the server share"
                        + " this machine's %d cores; 1-minute load average %s at the start, %s at the end.%n%n",
                BACKEND,
                SECONDS,
                LocalDate.now(),
                (System.nanoTime() - started) / 1_000_000_000L,
                "(sendfile, access log)",
                Nginx.WORKERS,
                Runtime.getRuntime().availableProcessors(),
                loadBefore,
                loadAverage()));

        out.append("GET of a ")
                .append(servedScriptBytes)
                .append("-byte mainscript as raw text, no token (wrk, --timeout 2s; socket errors as wrk counts"
                        + " them; connections opened per request from the kernel's ActiveOpens). Before it, unmeasured"
                        + " warm-up rounds at 10 connections until the server's rate settled: ")
                .append(rates(scriptWarmUp))
                .append(" req/s; before the new connections per request, rounds of them at 50 connections: ")
                .append(rates(reconnectWarmUp))
                .append(" req/s.\n\n")
                .append("| way | connections | target | req/s | p50 ms | p99 ms | HTTP >= 400 | socket errors"
                        + " | connections per request | req/s / nginx |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScriptRow row : scripts) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | server | %s | %.2f |%n| %s | %d | nginx | %s | 1.00 |%n",
                    row.way(),
                    row.connections(),
                    wrkCells(row.side().server()),
                    row.side().server().perSecond() / row.side().nginx().perSecond(),
                    row.way(),
                    row.connections(),
                    wrkCells(row.side().nginx())));
        }

        out.append("\nDownloads of boot assets (/assets/{name}; MB = 10^6 bytes). Before the 10 at a time,"
                        + " unmeasured warm-up rounds of them on the server until its rate settled: ")
                .append(rates(downloadWarmUp))
                .append(" downloads/s.\n\n")
                .append("| download | server | nginx | server / nginx |\n|---|---|---|---|\n");
        out.append(String.format(
                Locale.ROOT,
                "| 256 MiB with curl, MB/s, median of %d (%s / %s) | %.0f | %.0f | %.2f |%n",
                DOWNLOAD_RUNS,
                list(big[0]),
                list(big[1]),
                median(big[0]),
                median(big[1]),
                median(big[0]) / median(big[1])));
        out.append(String.format(
                Locale.ROOT,
                "| 3 MiB, 10 at a time (wrk -c10), MB/s | %.0f | %.0f | %.2f |%n",
                small.server().megabytesPerSecond(),
                small.nginx().megabytesPerSecond(),
                small.server().megabytesPerSecond() / small.nginx().megabytesPerSecond()));
        out.append(String.format(
                Locale.ROOT,
                "| 3 MiB, 10 at a time: p99 ms of one download | %.0f | %.0f | %.2f |%n",
                small.server().p99Ms(),
                small.nginx().p99Ms(),
                small.server().p99Ms() / small.nginx().p99Ms()));
        out.append(String.format(
                Locale.ROOT,
                "| 3 MiB, 10 at a time: downloads; HTTP >= 400; socket errors | %d; %d; %s | %d; %d; %s | |%n",
                small.server().requests(),
                small.server().httpErrors(),
                small.server().errors(),
                small.nginx().requests(),
                small.nginx().httpErrors(),
                small.nginx().errors()));

        out.append(String.format(
                Locale.ROOT,
                "%nRegistrations of new nodes from %d connections (server: wrk POST /api/localnodes?ip=..;"
                        + " reference: pgbench -c %d -j 2 upserting the node, its event and its host fetch on"
                        + " PostgreSQL%s). Existing nodes: as counted just before the run (%s). Before them,"
                        + " unmeasured warm-up rounds on the server until its rate settled: %s req/s (those nodes"
                        + " deleted through the API).%n%n",
                REGISTERING_CONNECTIONS,
                REGISTERING_CONNECTIONS,
                BACKEND == Backend.H2
                        ? ", the same reference as in the PostgreSQL run: the server's H2 has no pgbench"
                        : "",
                BACKEND == Backend.POSTGRESQL
                        ? "filled with SQL, generate_series, with one node event and one host fetch each"
                        : "the server's filled through its API with wrk and counted from the registrations it"
                                + " answered, so about; the reference's filled with SQL, generate_series, with one"
                                + " node event and one host fetch each",
                rates(registrationWarmUp)));
        out.append("| existing nodes, server / reference | server req/s | p50 ms | p99 ms | HTTP >= 400 | socket"
                + " errors | pgbench tx/s | p50 ms | p99 ms | failed | server / pgbench |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Registrations r : registrations) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d / %,d | %.0f | %.2f | %.2f | %d | %s | %.0f | %.2f | %.2f | %d | %.2f |%n",
                    r.serverExisting(),
                    r.referenceExisting(),
                    r.server().perSecond(),
                    r.server().p50Ms(),
                    r.server().p99Ms(),
                    r.server().httpErrors(),
                    r.server().errors(),
                    r.reference().perSecond(),
                    r.reference().p50Ms(),
                    r.reference().p99Ms(),
                    r.reference().failed(),
                    r.server().perSecond() / r.reference().perSecond()));
        }

        out.append("\nResident memory (VmRSS, KiB; nginx: master and workers added up):\n\n")
                .append(
                        "| process | idle after start | idle after the run | / nginx, after start |\n|---|---|---|---|\n");
        out.append(String.format(
                Locale.ROOT,
                "| server | %d | %d | %.0f |%n| nginx | %d | %d | 1 |%n",
                memory.serverStartKib(),
                memory.serverEndKib(),
                memory.serverStartKib() / (double) memory.nginxStartKib(),
                memory.nginxStartKib(),
                memory.nginxEndKib()));

        out.append("\niPXE build (x86_64 EFI: binary, script, FAT image), request to done, polled every 5 ms:\n\n");
        if (!builds.note().isEmpty()) {
            out.append(builds.note()).append('\n');
        } else {
            out.append("| path | median ms of ").append(BUILDS).append(" | all | / by hand |\n|---|---|---|---|\n");
            out.append(String.format(
                    Locale.ROOT,
                    "| POST /api/ipxes to status done | %.0f | %s | %.1f |%n"
                            + "| by hand: cp, mkfs.vfat, mmd, mcopy, sha256sum in bash | %.0f | %s | 1.0 |%n",
                    median(builds.serverMs()),
                    list(builds.serverMs()),
                    median(builds.serverMs()) / median(builds.byHandMs()),
                    median(builds.byHandMs()),
                    list(builds.byHandMs())));
        }
        return out.toString();
    }
}
