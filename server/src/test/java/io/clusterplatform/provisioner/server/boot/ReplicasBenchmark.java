package io.clusterplatform.provisioner.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.Replicas;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Scale-out on one machine (docs/BENCHMARKS.md, "Replicas"): boot-script GETs and registrations
 * through HAProxy with 1, 2 and 3 server replicas on one PostgreSQL ({@link Replicas}), each load
 * with the replicas' CPU seconds per 1,000 requests; then a boot asset downloaded from the S3 bucket
 * through a replica against the same object read from s3proxy directly with the AWS SDK.
 *
 * <p>Run: {@code scripts/run-benchmark.sh ReplicasBenchmark} ({@code -Dbenchmark.seconds=10}).
 */
class ReplicasBenchmark {
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 10);
    private static final Duration LOAD = Duration.ofSeconds(SECONDS);
    private static final int CONNECTIONS = 50;
    private static final int ROUNDS = 3;
    private static final int ASSET_MIB = 256;

    record Row(
            int replicas,
            String what,
            double[] perSecond,
            double cpuPerThousand,
            double balancerPerThousand,
            long errors) {}

    record Download(double[] throughReplica, double[] direct) {}

    @Test
    void replicas() throws Exception {
        Programs.find("wrk", "wrk");
        String loadBefore = BootPathBenchmark.loadAverage();
        List<Row> rows = new ArrayList<>();
        Download download = null;
        try (ThrowawayDirectory work = ThrowawayDirectory.create("provisioner-replicas-bench-")) {
            Wrk wrk = new Wrk(work.path());
            for (int count = 1; count <= 3; count++) {
                try (Replicas replicas = Replicas.start(count)) {
                    String script = createMainscript(replicas.api().asOperator());
                    String url = replicas.url();
                    // Not measured: every replica's JIT on both paths.
                    for (int i = 0; i < 2; i++) {
                        wrk.run(url + script, CONNECTIONS, 2, LOAD, List.of(), "");
                        registrations(wrk, url, "warm-" + i, 10 + i);
                    }
                    int n = count;
                    rows.add(measure(
                            replicas,
                            n,
                            "boot-script GET",
                            () -> wrk.run(url + script, CONNECTIONS, 2, LOAD, List.of(), "")));
                    int[] round = {0};
                    rows.add(measure(
                            replicas,
                            n,
                            "registration POST",
                            () -> registrations(wrk, url, "bench-" + n + "-" + round[0], 20 + round[0]++)));
                    if (count == 3) {
                        download = downloads(replicas, work.path());
                    }
                }
            }
        }
        String report = report(rows, download, loadBefore, BootPathBenchmark.loadAverage());
        System.out.println(report);
        Path out = Path.of("target", "benchmarks", "replicas.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static Wrk.Result registrations(Wrk wrk, String url, String artifact, int firstOctet) {
        return wrk.run(
                url + "/api/localnodes",
                CONNECTIONS,
                2,
                LOAD,
                List.of(),
                BootPathBenchmark.REGISTRATIONS,
                artifact,
                Integer.toString(firstOctet),
                "0",
                "0");
    }

    private static Row measure(Replicas replicas, int count, String what, Supplier<Wrk.Result> run) {
        double[] perSecond = new double[ROUNDS];
        double cpu = 0;
        double balancer = 0;
        long requests = 0;
        long errors = 0;
        for (int i = 0; i < ROUNDS; i++) {
            double cpuBefore = replicas.replicaCpuSeconds();
            double balancerBefore = replicas.balancerCpuSeconds();
            Wrk.Result result = run.get();
            cpu += replicas.replicaCpuSeconds() - cpuBefore;
            balancer += replicas.balancerCpuSeconds() - balancerBefore;
            perSecond[i] = result.perSecond();
            requests += result.requests();
            errors += result.httpErrors() + result.socketErrors();
        }
        assertThat(requests).as(what).isPositive();
        System.out.printf(
                Locale.ROOT,
                "REPLICAS %d %s: %.0f req/s (median), %d errors%n",
                count,
                what,
                BootPathBenchmark.median(perSecond),
                errors);
        return new Row(count, what, perSecond, cpu / requests * 1000, balancer / requests * 1000, errors);
    }

    private static String createMainscript(Api operator) {
        Api.Response created = operator.post(
                "/api/mainscripts", Json.body(Map.of("name", "bench", "text", BootPathBenchmark.MAINSCRIPT)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return "/api/mainscripts/" + created.json().get("id").asLong();
    }

    /** A 256 MiB asset through replica 0 (streamed from the bucket) and straight from s3proxy. */
    private static Download downloads(Replicas replicas, Path work) throws Exception {
        Path file = work.resolve("asset.bin");
        byte[] chunk = new byte[1024 * 1024];
        new Random(1).nextBytes(chunk);
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < ASSET_MIB; i++) {
                out.write(chunk);
            }
        }
        Api operator = replicas.api().asOperator();
        Api.Response uploaded = operator.send(operator.builder("/api/assets/bench-256m.bin")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        long size = Files.size(file);
        Api replica = replicas.replica(0);
        double[] through = new double[ROUNDS];
        double[] direct = new double[ROUNDS];
        try (S3Client s3 = replicas.s3().client()) {
            String key = s3.listObjectsV2(b -> b.bucket(Replicas.BUCKET)).contents().stream()
                    .map(S3Object::key)
                    .filter(k -> k.endsWith("/bench-256m.bin"))
                    .findFirst()
                    .orElseThrow();
            for (int i = 0; i < ROUNDS + 1; i++) {
                long started = System.nanoTime();
                HttpResponse<InputStream> response = replica.send(
                        replica.builder("/assets/bench-256m.bin").GET(), HttpResponse.BodyHandlers.ofInputStream());
                long read = drain(response.body());
                double viaReplica = read / ((System.nanoTime() - started) / 1e9) / 1e6;
                started = System.nanoTime();
                long readDirect;
                try (ResponseInputStream<GetObjectResponse> object =
                        s3.getObject(b -> b.bucket(Replicas.BUCKET).key(key))) {
                    readDirect = drain(object);
                }
                double straight = readDirect / ((System.nanoTime() - started) / 1e9) / 1e6;
                assertThat(read).isEqualTo(size);
                assertThat(readDirect).isEqualTo(size);
                if (i > 0) { // the first round warms both paths
                    through[i - 1] = viaReplica;
                    direct[i - 1] = straight;
                }
            }
        }
        return new Download(through, direct);
    }

    private static long drain(InputStream in) throws Exception {
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        return total;
    }

    private static String report(List<Row> rows, Download download, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Replicas behind HAProxy on one PostgreSQL, %d s per round, %d rounds, %d connections (load average %s before, %s after)%n%n",
                SECONDS,
                ROUNDS,
                CONNECTIONS,
                loadBefore,
                loadAfter));
        out.append(
                "| replicas | what | req/s (median of rounds) | rounds | vs 1 replica | replica CPU-s per 1,000 | HAProxy CPU-s per 1,000 | errors |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            double one = rows.stream()
                    .filter(r -> r.replicas() == 1 && r.what().equals(row.what()))
                    .mapToDouble(r -> BootPathBenchmark.median(r.perSecond()))
                    .findFirst()
                    .orElse(Double.NaN);
            double median = BootPathBenchmark.median(row.perSecond());
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %.0f | %s | %.2f | %.3f | %.3f | %d |%n",
                    row.replicas(),
                    row.what(),
                    median,
                    rounds(row.perSecond()),
                    median / one,
                    row.cpuPerThousand(),
                    row.balancerPerThousand(),
                    row.errors()));
        }
        if (download != null) {
            double via = BootPathBenchmark.median(download.throughReplica());
            double direct = BootPathBenchmark.median(download.direct());
            out.append(String.format(
                    Locale.ROOT,
                    "%n%d MiB asset, one stream: through a replica from S3 %.0f MB/s (%s), s3proxy directly (AWS SDK) %.0f MB/s (%s): ratio %.2f%n",
                    ASSET_MIB,
                    via,
                    rounds(download.throughReplica()),
                    direct,
                    rounds(download.direct()),
                    via / direct));
        }
        return out.toString();
    }

    private static String rounds(double[] values) {
        List<String> each = new ArrayList<>();
        for (double v : values) {
            each.add(String.format(Locale.ROOT, "%.0f", v));
        }
        return String.join(", ", each);
    }
}
