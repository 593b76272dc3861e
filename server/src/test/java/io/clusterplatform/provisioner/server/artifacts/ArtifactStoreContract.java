package io.clusterplatform.provisioner.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link FileSystemArtifactStore} promises, on every backend (the metadata lives in the
 * database): each subclass only names the backend. Every test uses artifacts of its own.
 */
abstract class ArtifactStoreContract {
    private ArtifactStore store;
    private ArtifactFileCatalog catalog;
    private Path root;
    private final UUID id = UUID.randomUUID();

    @BeforeEach
    void connect(StandaloneServer server) {
        store = server.bean(ArtifactStore.class);
        catalog = server.bean(ArtifactFileCatalog.class);
        root = ((FileSystemArtifactStore) store).root();
    }

    @Test
    void publishedFilesHaveTheSizeAndSha256OfTheirBytes() throws Exception {
        byte[] bytes = randomBytes(200_003);
        List<StoredFile> published;
        try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
            Files.write(staging.file("ipxe.efi"), bytes);
            published = staging.publish();
        }

        StoredFile file = published.getFirst();
        assertThat(file.size()).isEqualTo(bytes.length);
        assertThat(file.sha256()).isEqualTo(sha256(bytes));
        Path onDisk = root.resolve("ipxes").resolve(id.toString()).resolve("ipxe.efi");
        assertThat(onDisk).hasBinaryContent(bytes);
        Shell.Result sha256sum = Shell.run(List.of("sha256sum", onDisk.toString()), Timeouts.process());
        assertThat(sha256sum.exitCode()).isZero();
        assertThat(sha256sum.stdout()).startsWith(file.sha256() + " ");
        assertThat(store.files(ArtifactKind.IPXES, id)).containsExactly(file);
        assertThat(store.find(ArtifactKind.IPXES, id, "ipxe.efi")).contains(file);
        assertThat(file.path()).isEqualTo("/ipxes/" + id + "/ipxe.efi");
    }

    @Test
    void stagedFilesStayInvisibleUntilPublished() throws Exception {
        try (ArtifactStaging staging = store.stage(ArtifactKind.ISOS, id)) {
            try (OutputStream out = staging.create("dist.iso")) {
                out.write("half an ISO".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(staging.file("dist.iso")).startsWith(root.resolve(".staging"));
            assertThat(store.find(ArtifactKind.ISOS, id, "dist.iso")).isEmpty();
            assertThat(root.resolve("isos").resolve(id.toString())).doesNotExist();

            staging.publish();
        }
        assertThat(store.find(ArtifactKind.ISOS, id, "dist.iso")).isPresent();
        assertThat(root.resolve("isos").resolve(id.toString()).resolve("dist.iso"))
                .hasContent("half an ISO");
    }

    @Test
    void aBuildThatNeverPublishesLeavesNothing() throws Exception {
        Path staged;
        try (ArtifactStaging staging = store.stage(ArtifactKind.GRUBS, id)) {
            staged = staging.file("grub.img");
            Files.writeString(staged, "abandoned");
        }
        assertThat(staged).doesNotExist();
        assertThat(staged.getParent()).doesNotExist();
        assertThat(store.files(ArtifactKind.GRUBS, id)).isEmpty();
        assertThat(root.resolve("grubs").resolve(id.toString())).doesNotExist();
        assertThat(stagingEntries()).noneMatch(name -> name.contains(id.toString()));
    }

    @Test
    void aReaderKeepsTheWholeOldFileWhileANewOneIsPublished() throws Exception {
        publish(ArtifactKind.IPXES, "ipxe.efi", "old bytes of the first build");
        StoredFile old = store.find(ArtifactKind.IPXES, id, "ipxe.efi").orElseThrow();

        try (InputStream reading = store.open(old, 4)) {
            publish(ArtifactKind.IPXES, "ipxe.efi", "new bytes of the second build, longer");

            assertThat(new String(reading.readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("bytes of the first build");
        }
        StoredFile current = store.find(ArtifactKind.IPXES, id, "ipxe.efi").orElseThrow();
        assertThat(current.sha256()).isEqualTo(sha256("new bytes of the second build, longer".getBytes()));
        try (InputStream in = store.open(current, 0)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("new bytes of the second build, longer");
        }
    }

    @Test
    void aPublishedFileIsOnTheLocalFileSystemUntilReplacedOrDeleted() throws Exception {
        publish(ArtifactKind.IPXES, "ipxe.efi", "the first build");
        StoredFile first = store.find(ArtifactKind.IPXES, id, "ipxe.efi").orElseThrow();

        Path local = store.localFile(first).orElseThrow();
        assertThat(local).isAbsolute().hasContent("the first build");

        publish(ArtifactKind.IPXES, "ipxe.efi", "the second, longer build");
        assertThatThrownBy(() -> store.localFile(first))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("replaced since it was found");
        StoredFile second = store.find(ArtifactKind.IPXES, id, "ipxe.efi").orElseThrow();
        assertThat(store.localFile(second)).contains(local);

        store.delete(ArtifactKind.IPXES, id);
        assertThatThrownBy(() -> store.localFile(second)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void publishingReplacesTheArtifactsFormerFiles() throws Exception {
        try (ArtifactStaging staging = store.stage(ArtifactKind.GRUBS, id)) {
            Files.writeString(staging.file("bootx64.efi"), "one");
            Files.writeString(staging.file("grub.img"), "two");
            assertThat(staging.publish()).extracting(StoredFile::name).containsExactly("bootx64.efi", "grub.img");
        }
        publish(ArtifactKind.GRUBS, "grub.img", "three");

        assertThat(store.files(ArtifactKind.GRUBS, id)).singleElement().satisfies(file -> {
            assertThat(file.name()).isEqualTo("grub.img");
            assertThat(file.size()).isEqualTo(5);
        });
        assertThat(root.resolve("grubs").resolve(id.toString()).resolve("bootx64.efi"))
                .doesNotExist();
    }

    @Test
    void listingUsesTheRecordedHashesWithoutReadingTheFiles() throws Exception {
        publish(ArtifactKind.SYSLINUXS, "ldlinux.c32", "recorded");
        Path onDisk = root.resolve("syslinuxs").resolve(id.toString()).resolve("ldlinux.c32");
        Files.writeString(onDisk, "changed behind the store's back");

        assertThat(store.files(ArtifactKind.SYSLINUXS, id))
                .singleElement()
                .satisfies(file -> assertThat(file.sha256()).isEqualTo(sha256("recorded".getBytes())));
    }

    @Test
    void aFileOnDiskWithoutItsRecordIsNotPublished() throws Exception {
        // what a publication that crashed between the rename and the database write leaves
        Path orphan = root.resolve("isos").resolve(id.toString()).resolve("dist.iso");
        Files.createDirectories(orphan.getParent());
        Files.writeString(orphan, "orphan");

        assertThat(store.find(ArtifactKind.ISOS, id, "dist.iso")).isEmpty();
        assertThat(store.files(ArtifactKind.ISOS, id)).isEmpty();
    }

    @Test
    void deletingAnArtifactRemovesItsFilesAndRecords() throws Exception {
        publish(ArtifactKind.ISOS, "dist.iso", "an ISO");
        UUID other = UUID.randomUUID();
        try (ArtifactStaging staging = store.stage(ArtifactKind.ISOS, other)) {
            Files.writeString(staging.file("dist.iso"), "another ISO");
            staging.publish();
        }

        store.delete(ArtifactKind.ISOS, id);

        assertThat(store.files(ArtifactKind.ISOS, id)).isEmpty();
        assertThat(catalog.list(ArtifactKind.ISOS, id)).isEmpty();
        assertThat(root.resolve("isos").resolve(id.toString())).doesNotExist();
        assertThat(store.files(ArtifactKind.ISOS, other)).hasSize(1);
        store.delete(ArtifactKind.ISOS, id); // deleting again is fine
    }

    @Test
    void refusesFileNamesThatCouldEscapeTheStore() {
        try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
            for (String name : List.of("..", "../ipxe.efi", "/etc/passwd", ".hidden", "a\0b", "sub/file")) {
                assertThatThrownBy(() -> staging.file(name))
                        .as(name)
                        .isInstanceOfSatisfying(
                                ProblemException.class,
                                e -> assertThat(e.status()).isEqualTo(400))
                        .hasMessageContaining("artifact file name");
            }
        }
        assertThatThrownBy(() -> store.find(ArtifactKind.IPXES, id, "../../provisioner.mv.db"))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void refusesToPublishDirectoriesAndSymbolicLinks() throws Exception {
        try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
            Files.writeString(staging.file("ipxe.efi"), "fine");
            Files.createSymbolicLink(staging.file("passwd"), Path.of("/etc/passwd"));

            assertThatThrownBy(staging::publish)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'passwd'")
                    .hasMessageContaining("only plain files can be published");
        }
        try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
            Files.createDirectory(staging.file("tree"));

            assertThatThrownBy(staging::publish).hasMessageContaining("'tree'");
        }
        assertThat(store.files(ArtifactKind.IPXES, id)).isEmpty();
        assertThat(root.resolve("ipxes").resolve(id.toString()).resolve("ipxe.efi"))
                .doesNotExist();
    }

    @Test
    void refusesToPublishNothingOrTwice() throws Exception {
        try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
            assertThatThrownBy(staging::publish).hasMessageContaining("no file was staged");
        }
        try (ArtifactStaging staging = store.stage(ArtifactKind.IPXES, id)) {
            Files.writeString(staging.file("ipxe.efi"), "once");
            staging.publish();
            assertThatThrownBy(staging::publish).hasMessageContaining("already published");
        }
    }

    @Test
    void staleStagingAreasAreCleanedAtStartButLiveOnesKept() throws Exception {
        Path stagingRoot = root.resolve(".staging");
        // a build whose process died: its lock file is held by nobody
        Path crashed = Files.createDirectory(stagingRoot.resolve("isos-" + id + "-crashed"));
        Files.writeString(crashed.resolve("dist.iso"), "half written");
        Files.createFile(stagingRoot.resolve("isos-" + id + "-crashed.lock"));
        // a directory without its lock file
        Path leftover = Files.createDirectory(stagingRoot.resolve("isos-" + id + "-leftover"));
        try (ArtifactStaging running = store.stage(ArtifactKind.IPXES, id)) {
            Files.writeString(running.file("ipxe.efi"), "being written");

            new FileSystemArtifactStore(root, catalog, Clock.systemUTC());

            assertThat(crashed).doesNotExist();
            assertThat(stagingRoot.resolve("isos-" + id + "-crashed.lock")).doesNotExist();
            assertThat(leftover).doesNotExist();
            assertThat(running.file("ipxe.efi")).hasContent("being written");
            running.publish();
        }
        assertThat(store.find(ArtifactKind.IPXES, id, "ipxe.efi")).isPresent();
        assertThat(store.files(ArtifactKind.ISOS, id)).isEmpty();
    }

    private void publish(ArtifactKind kind, String name, String content) throws IOException {
        try (ArtifactStaging staging = store.stage(kind, id)) {
            Files.writeString(staging.file(name), content);
            staging.publish();
        }
    }

    private List<String> stagingEntries() throws IOException {
        try (Stream<Path> entries = Files.list(root.resolve(".staging"))) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
