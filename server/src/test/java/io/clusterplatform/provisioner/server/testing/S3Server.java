package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: s3proxy (Maven Central; its jar with dependencies is copied to {@code
 * target/s3proxy} by the build) in a process of its own, on loopback, keeping its objects in files
 * of a throwaway directory (jclouds' filesystem provider), with AWS signature checks on. A process,
 * not in-process: s3proxy runs on Jetty 11, Spring Boot's tests on its own Jetty/Tomcat versions.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "provisioner-test";
    public static final String SECRET_KEY = "provisioner-test-secret";
    private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");

    private final Process process;
    private final ThrowawayDirectory dir;
    private final int port;

    private S3Server(Process process, ThrowawayDirectory dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts s3proxy and waits until it answers. */
    public static S3Server start() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: the server module's build copies it"
                    + " there (maven-dependency-plugin, phase generate-test-resources); run the tests with ./mvnw");
        }
        ThrowawayDirectory dir = ThrowawayDirectory.create("provisioner-s3-");
        int port = ServerProcess.freePort();
        try {
            Path data = Files.createDirectories(dir.path().resolve("data"));
            Path conf = dir.path().resolve("s3proxy.conf");
            Files.writeString(
                    conf,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + data,
                            ""));
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m",
                    "-jar",
                    JAR.toAbsolutePath().toString(),
                    "--properties",
                    conf.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.path().resolve("s3proxy.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            S3Server server = new S3Server(process, dir, port);
            Awaitility.await("s3proxy to listen on port " + port)
                    .atMost(Timeouts.startup())
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("s3proxy exited: " + server.log());
                        }
                        try (Socket socket = new Socket("127.0.0.1", port)) {
                            return true;
                        } catch (IOException notYet) {
                            return false;
                        }
                    });
            return server;
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The AWS variables a server needs to use this store, as its command-line properties. */
    public List<String> serverArgs(String location) {
        List<String> args = new ArrayList<>(List.of("--provisioner.artifact-store=" + location));
        environment().forEach((name, value) -> args.add("--" + name + "=" + value));
        return args;
    }

    /** The AWS variables for this store. */
    public Map<String, String> environment() {
        return Map.of(
                "AWS_ENDPOINT_URL_S3",
                endpoint(),
                "AWS_REGION",
                "us-east-1",
                "AWS_ACCESS_KEY_ID",
                ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                SECRET_KEY);
    }

    /** A client of this store, for the tests' own looks into the bucket. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(java.net.URI.create(endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .addPlugin(LegacyMd5Plugin.create())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Creates a bucket. */
    public void createBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    public String log() {
        try {
            return Files.readString(dir.path().resolve("s3proxy.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dir.close();
        }
    }
}
