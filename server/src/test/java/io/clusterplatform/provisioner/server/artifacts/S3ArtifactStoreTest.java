package io.clusterplatform.provisioner.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.S3Server;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The artifact store on a real S3 server (s3proxy, see {@link S3Server}), through a server started
 * with {@code PROVISIONER_ARTIFACT_STORE=s3://...} and the AWS variables, as an operator configures
 * it: what it publishes is in the bucket under names by hash, downloads come from the bucket with
 * Content-Length, ETag, ranges and HEAD, and a second server on the same database serves them
 * without any file of the first.
 */
class S3ArtifactStoreTest {
    private static final String BUCKET = "provisioner-artifacts";
    private static final String PREFIX = "site-1/";
    private static S3Server s3;
    private static ThrowawayDirectory data;
    private static StandaloneServer server;
    private static ArtifactStore store;
    private static S3Client bucket;
    private final UUID id = UUID.randomUUID();

    @BeforeAll
    static void start() {
        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        bucket = s3.client();
        data = ThrowawayDirectory.create("provisioner-s3-store-");
        server = startServer();
        store = server.bean(ArtifactStore.class);
    }

    private static StandaloneServer startServer() {
        return StandaloneServer.start(
                data.path(), s3.serverArgs("s3://" + BUCKET + "/" + PREFIX).toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (bucket != null) {
            bucket.close();
        }
        if (data != null) {
            data.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void publishedFilesAreObjectsNamedByTheirHashAndReadFromAnyOffset() throws Exception {
        assertThat(store).isInstanceOf(S3ArtifactStore.class);
        byte[] bytes = ArtifactStoreContract.randomBytes(200_003);
        StoredFile file;
        try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
            Files.write(staging.file("ipxe.efi"), bytes);
            assertThat(staging.file("ipxe.efi")).startsWith(data.path().resolve("artifacts-staging"));
            assertThat(objects("ipxes"))
                    .as("nothing in the bucket before the publication")
                    .isEmpty();
            file = staging.publish().getFirst();
        }
        assertThat(file.size()).isEqualTo(bytes.length);
        assertThat(file.sha256()).isEqualTo(ArtifactStoreContract.sha256(bytes));
        assertThat(objects("ipxes")).containsExactly(PREFIX + "ipxes/" + id + "/" + file.sha256() + "/ipxe.efi");
        assertThat(store.find(ArtifactKind.IPXES, id, "ipxe.efi")).contains(file);
        assertThat(store.localFile(file))
                .as("no local file: downloads stream from the bucket")
                .isEmpty();
        try (InputStream in = store.open(file, 0)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (InputStream in = store.open(file, 200_000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 200_000, bytes.length));
        }
        try (InputStream in = store.open(file, bytes.length)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        assertThat(data.path().resolve("artifacts-staging")).isEmptyDirectory();
        assertThat(data.path().resolve("artifacts").resolve("ipxes")).doesNotExist();
    }

    @Test
    void aNewPublicationReplacesTheObjectsAndAnAbandonedBuildLeavesNone() throws Exception {
        try (ArtifactStaging staging = store.stage(ArtifactKind.GRUBS, id)) {
            Files.writeString(staging.file("bootx64.efi"), "one");
            Files.writeString(staging.file("grub.img"), "two");
            staging.publish();
        }
        StoredFile old = store.find(ArtifactKind.GRUBS, id, "grub.img").orElseThrow();
        try (ArtifactStaging staging = store.stage(ArtifactKind.GRUBS, id)) {
            Files.writeString(staging.file("grub.img"), "three");
            staging.publish();
        }
        StoredFile now = store.find(ArtifactKind.GRUBS, id, "grub.img").orElseThrow();
        assertThat(objects("grubs")).containsExactly(PREFIX + "grubs/" + id + "/" + now.sha256() + "/grub.img");
        assertThat(store.files(ArtifactKind.GRUBS, id)).containsExactly(now);
        assertThatThrownBy(() -> store.open(old, 0))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("replaced or deleted since it was found");

        try (ArtifactStaging staging = store.stage(ArtifactKind.GRUBS, id)) {
            Files.writeString(staging.file("grub.img"), "abandoned");
        }
        assertThat(store.find(ArtifactKind.GRUBS, id, "grub.img")).contains(now);
        assertThat(objects("grubs")).hasSize(1);
    }

    @Test
    void anObjectWithoutItsRecordIsNotServedAndGoesWithTheNextPublication() throws Exception {
        // what a publication that crashed between the upload and the database write leaves
        String orphan = PREFIX + "isos/" + id + "/" + "0".repeat(64) + "/dist.iso";
        bucket.putObject(b -> b.bucket(BUCKET).key(orphan), RequestBody.fromString("orphan"));
        assertThat(store.find(ArtifactKind.ISOS, id, "dist.iso")).isEmpty();

        try (ArtifactStaging staging = store.stage(ArtifactKind.ISOS, id)) {
            Files.writeString(staging.file("dist.iso"), "an ISO");
            staging.publish();
        }
        assertThat(objects("isos")).hasSize(1).doesNotContain(orphan);

        store.delete(ArtifactKind.ISOS, id);
        assertThat(objects("isos")).isEmpty();
        assertThat(store.files(ArtifactKind.ISOS, id)).isEmpty();
        store.delete(ArtifactKind.ISOS, id); // deleting again is fine
    }

    /**
     * A boot asset larger than a part (uploaded in parts) through the API, downloaded whole, in a
     * range and by HEAD, then again from a second server on the same database, with no file of the
     * first left on disk.
     */
    @Test
    void assetsAreUploadedInPartsAndServedFromTheBucketByAnyServer() throws Exception {
        String name = "big-" + id + ".img";
        byte[] bytes = ArtifactStoreContract.randomBytes((int) (2.5 * S3Location.PART_SIZE));
        Api operator = server.api().asOperator();
        Api.Response created = operator.send(operator.builder("/api/assets/" + name)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String sha = ArtifactStoreContract.sha256(bytes);
        assertThat(created.json().get("sha256").asText()).isEqualTo(sha);
        List<S3Object> stored =
                bucket.listObjectsV2(b -> b.bucket(BUCKET).prefix(PREFIX + "assets/")).contents().stream()
                        .filter(o -> o.key().endsWith("/" + name))
                        .toList();
        assertThat(stored).singleElement().satisfies(o -> {
            assertThat(o.size()).isEqualTo(bytes.length);
            assertThat(o.eTag())
                    .as("a multipart upload's ETag ends in -<parts>")
                    .contains("-3");
        });

        assertDownloads(server.api(), name, bytes, sha);
        server.close();
        try (var files = Files.walk(data.path())) {
            assertThat(files.filter(Files::isRegularFile)
                            .filter(p -> p.getFileName().toString().equals(name)))
                    .isEmpty();
        }
        server = startServer();
        store = server.bean(ArtifactStore.class);
        assertDownloads(server.api(), name, bytes, sha);
    }

    private static void assertDownloads(Api api, String name, byte[] bytes, String sha) throws Exception {
        HttpResponse<byte[]> whole =
                api.send(api.builder("/assets/" + name).GET(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("ETag")).contains("\"" + sha + "\"");
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        assertThat(ArtifactStoreContract.sha256(whole.body())).isEqualTo(sha);
        HttpResponse<byte[]> part = api.send(
                api.builder("/assets/" + name)
                        .header("Range", "bytes=1000-1999")
                        .GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
        HttpResponse<byte[]> head = api.send(
                api.builder("/assets/" + name).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aLocationThatIsNoBucketIsRefusedWithWhatToWrite() {
        assertThat(S3Location.parse("s3://my-bucket")).isEqualTo(new S3Location("my-bucket", ""));
        assertThat(S3Location.parse("s3://my-bucket/a/b")).isEqualTo(new S3Location("my-bucket", "a/b/"));
        assertThatThrownBy(() -> S3Location.parse("/var/lib/artifacts")).hasMessageContaining("s3://BUCKET[/prefix]");
        assertThatThrownBy(() -> S3Location.parse("s3://My_Bucket")).hasMessageContaining("no S3 bucket name");
        assertThatThrownBy(() -> S3Location.parse("s3://bucket//x")).hasMessageContaining("empty segment");
    }

    private List<String> objects(String kind) {
        return bucket.listObjectsV2(b -> b.bucket(BUCKET).prefix(PREFIX + kind + "/" + id + "/")).contents().stream()
                .map(S3Object::key)
                .filter(key -> !key.endsWith("/")) // the directories jclouds' filesystem store lists too
                .sorted()
                .toList();
    }
}
