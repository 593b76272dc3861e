package io.clusterplatform.provisioner.server.artifacts;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the S3 artifact store keeps its objects ({@code PROVISIONER_ARTIFACT_STORE=s3://BUCKET[/prefix]}),
 * and the clients for it, configured by the standard AWS variables: {@code AWS_ENDPOINT_URL_S3} (or
 * {@code AWS_ENDPOINT_URL}; set for any store but AWS itself, which then gets path-style addressing),
 * {@code AWS_REGION} ({@code us-east-1} when unset), {@code AWS_ACCESS_KEY_ID} and {@code
 * AWS_SECRET_ACCESS_KEY} (else the SDK's default chain: profiles, instance roles).
 *
 * <p>The clients send checksums only where S3 requires them, and then as Content-MD5 (the SDK's
 * legacy MD5 plugin), not the newer x-amz-checksum headers: S3-compatible stores (s3proxy, MinIO
 * before 2025, Ceph) refuse or ignore those.
 *
 * @param prefix "" or a prefix ending in "/"
 */
public record S3Location(String bucket, String prefix) {
    /** Uploads above this size go in parts of this size (S3 allows 10,000 parts: files up to 160 GiB). */
    static final long PART_SIZE = 16L * 1024 * 1024;

    /** The AWS variables the clients are configured by. */
    static final java.util.List<String> VARIABLES = java.util.List.of(
            "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

    /** Parses {@code s3://BUCKET[/prefix]}. */
    public static S3Location parse(String location) {
        if (location == null || !location.startsWith("s3://")) {
            throw new IllegalArgumentException("PROVISIONER_ARTIFACT_STORE must be s3://BUCKET[/prefix] (or unset for"
                    + " files under the data directory), got '" + location + "'");
        }
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' in PROVISIONER_ARTIFACT_STORE is no S3 bucket name"
                    + " (3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        if (prefix.contains("//") || prefix.startsWith("/")) {
            throw new IllegalArgumentException(
                    "the prefix of PROVISIONER_ARTIFACT_STORE has an empty segment: '" + location + "'");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return new S3Location(bucket, prefix);
    }

    /** The client, from {@code env} (the AWS variables). */
    static S3Client client(Map<String, String> env) {
        var builder = S3Client.builder()
                .region(region(env))
                .credentialsProvider(credentials(env))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .addPlugin(LegacyMd5Plugin.create())
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(Duration.ofMinutes(5)));
        URI endpoint = endpoint(env);
        if (endpoint != null) {
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        return builder.build();
    }

    private static URI endpoint(Map<String, String> env) {
        String url = env.getOrDefault("AWS_ENDPOINT_URL_S3", env.get("AWS_ENDPOINT_URL"));
        return url == null || url.isBlank() ? null : URI.create(url);
    }

    private static Region region(Map<String, String> env) {
        String region = env.get("AWS_REGION");
        return Region.of(region == null || region.isBlank() ? "us-east-1" : region);
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && !id.isBlank() && secret != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
