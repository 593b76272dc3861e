package io.clusterplatform.provisioner.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk, the HTTP load generator, for a fixed time against one URL on loopback. Its figures come from
 * a Lua {@code done()} that prints one line ({@code WRK requests=... p99_us=...}), so nothing is read
 * from wrk's human-readable summary. The connections wrk opened are counted from the kernel's
 * {@code ActiveOpens} (/proc/net/snmp) before and after: that is how a run with {@code Connection:
 * close} shows that it reconnected for every request (other programs' connections in the same
 * network namespace count too, so it is an upper bound).
 */
final class Wrk {
    /** Sent after each scenario's own Lua: the figures of the run on one line. */
    private static final String REPORT = """
            function done(summary, latency, requests)
              io.write(string.format("WRK requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d"
                .. " status=%d timeout=%d p50_us=%d p99_us=%d max_us=%d\\n",
                summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
                summary.errors.write, summary.errors.status, summary.errors.timeout,
                latency:percentile(50), latency:percentile(99), latency.max))
            end
            """;

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\d+)");

    /**
     * One run's figures.
     *
     * @param httpErrors responses with a status of 400 or more (wrk's "Non-2xx or 3xx responses")
     * @param connectionsOpened TCP connections opened on this machine during the run (ActiveOpens)
     */
    record Result(
            long requests,
            double seconds,
            long bytes,
            long httpErrors,
            long connectErrors,
            long readErrors,
            long writeErrors,
            long timeouts,
            double p50Ms,
            double p99Ms,
            double maxMs,
            long connectionsOpened) {

        double perSecond() {
            return requests / seconds;
        }

        /** Megabytes (10^6 bytes) of responses, headers included, per second. */
        double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }

        long socketErrors() {
            return connectErrors + readErrors + writeErrors + timeouts;
        }

        double connectionsPerRequest() {
            return requests == 0 ? 0 : connectionsOpened / (double) requests;
        }

        /** wrk's socket error counts as wrk names them, e.g. "0" or "connect 0, read 3, write 0, timeout 1". */
        String errors() {
            return socketErrors() == 0
                    ? "0"
                    : "connect " + connectErrors + ", read " + readErrors + ", write " + writeErrors + ", timeout "
                            + timeouts;
        }
    }

    private final String wrk;
    private final Path scripts;

    Wrk(Path scripts) {
        this.wrk = Programs.find("wrk", "wrk");
        this.scripts = scripts;
    }

    /**
     * Runs wrk with {@code connections} connections on {@code threads} threads for {@code duration},
     * timeout 2 s. {@code lua} is the scenario's own script (a {@code request()} function, say; empty
     * for a plain GET), {@code scriptArgs} its arguments (Lua's {@code init(args)}).
     */
    Result run(
            String url,
            int connections,
            int threads,
            Duration duration,
            List<String> headers,
            String lua,
            String... scriptArgs) {
        Path script = scripts.resolve("wrk-" + System.nanoTime() + ".lua");
        try {
            Files.writeString(script, lua + "\n" + REPORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(
                wrk,
                "-c" + connections,
                "-t" + threads,
                "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--timeout",
                "2s",
                "-s",
                script.toString()));
        for (String header : headers) {
            command.add("-H");
            command.add(header);
        }
        command.add(url);
        if (scriptArgs.length > 0) {
            command.add("--");
            command.addAll(Arrays.asList(scriptArgs));
        }
        long opensBefore = activeOpens();
        Shell.Result result = Shell.run(command, duration.plus(Timeouts.process()));
        long opened = activeOpens() - opensBefore;
        assertThat(result.exitCode())
                .as("%s: %s%s", command, result.stdout(), result.stderr())
                .isZero();
        Map<String, Long> f = new HashMap<>();
        String line = result.stdout()
                .lines()
                .filter(l -> l.startsWith("WRK "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("wrk printed no figures: " + result.stdout() + result.stderr()));
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            f.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return new Result(
                f.get("requests"),
                f.get("duration_us") / 1e6,
                f.get("bytes"),
                f.get("status"),
                f.get("connect"),
                f.get("read"),
                f.get("write"),
                f.get("timeout"),
                f.get("p50_us") / 1e3,
                f.get("p99_us") / 1e3,
                f.get("max_us") / 1e3,
                opened);
    }

    /** The TCP connections this network namespace has opened so far (Tcp: ActiveOpens of /proc/net/snmp). */
    static long activeOpens() {
        try {
            List<String> tcp = Files.readAllLines(Path.of("/proc/net/snmp")).stream()
                    .filter(l -> l.startsWith("Tcp:"))
                    .toList();
            List<String> names = List.of(tcp.get(0).split("\\s+"));
            return Long.parseLong(tcp.get(1).split("\\s+")[names.indexOf("ActiveOpens")]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
