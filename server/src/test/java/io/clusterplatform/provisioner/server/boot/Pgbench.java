package io.clusterplatform.provisioner.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.PostgresServer;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench with a custom script against one database of a {@link PostgresServer}, for a fixed time.
 * Throughput is pgbench's {@code tps}; latencies come from its per-transaction log ({@code -l}).
 * Prepared statements ({@code -M prepared}), as PgJDBC ends up using for the server's statements.
 */
final class Pgbench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    record Result(long transactions, double perSecond, long failed, double p50Ms, double p99Ms) {}

    private final String pgbench;
    private final Path work;

    Pgbench(Path work) {
        this.pgbench = Programs.postgres("pgbench");
        this.work = work;
    }

    /**
     * Runs {@code script} with {@code clients} connections on {@code threads} threads for {@code
     * duration}; {@code variables} are pgbench's {@code -D name=value}, set once per client.
     */
    Result run(
            PostgresServer postgres,
            String database,
            String script,
            int clients,
            int threads,
            Duration duration,
            String... variables) {
        Path file = work.resolve("pgbench-" + System.nanoTime() + ".sql");
        Path logs = work.resolve("pgbench-log-" + System.nanoTime());
        try {
            Files.writeString(file, script);
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(
                pgbench,
                "--no-vacuum",
                "--host=127.0.0.1",
                "--port=" + postgres.port(),
                "--username=" + PostgresServer.SUPERUSER,
                "--client=" + clients,
                "--jobs=" + threads,
                "--time=" + Math.max(1, duration.toSeconds()),
                "--protocol=prepared",
                "--log",
                "--log-prefix=" + logs.resolve("tx"),
                "--file=" + file));
        for (String variable : variables) {
            command.add("--define=" + variable);
        }
        command.add(database);
        Shell.Result result = Shell.run(command, duration.plus(Timeouts.process()));
        String out = result.stdout() + result.stderr();
        assertThat(result.exitCode()).as("%s: %s", command, out).isZero();
        Matcher tps = TPS.matcher(out);
        Matcher processed = PROCESSED.matcher(out);
        Matcher failed = FAILED.matcher(out);
        assertThat(tps.find() && processed.find())
                .as("pgbench's figures: %s", out)
                .isTrue();
        double[] latencies = latenciesMs(logs);
        return new Result(
                Long.parseLong(processed.group(1)),
                Double.parseDouble(tps.group(1)),
                failed.find() ? Long.parseLong(failed.group(1)) : 0,
                at(latencies, 0.50),
                at(latencies, 0.99));
    }

    /** The third field of each line of pgbench's transaction logs is the latency in microseconds. */
    private static double[] latenciesMs(Path logs) {
        List<Double> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logs)) {
            for (Path f : files) {
                for (String line : Files.readAllLines(f)) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length >= 3 && fields[2].matches("\\d+")) {
                        all.add(Long.parseLong(fields[2]) / 1e3);
                    }
                }
                Files.delete(f);
            }
            Files.delete(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double at(double[] sorted, double quantile) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
    }
}
