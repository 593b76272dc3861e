package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The artifact store on a local file system: published files live in {@code
 * <root>/<kind>/<uuid>/<name>}, staging areas in {@code <root>/.staging/<id>/}, each next to a
 * {@code <id>.lock} file its process holds an OS lock on. At start, staging areas whose lock no
 * process holds (their build crashed) are deleted; the areas of builds still running in another
 * process on the same directory are left alone. Sizes and hashes are kept in {@link
 * ArtifactFileCatalog}; a file is served only when it has a row there. A published file is never
 * written into: a publication renames complete, flushed files over the old names (so {@link
 * #localFile} may hand out paths), and a deletion removes them.
 */
public final class FileSystemArtifactStore implements ArtifactStore {
    private static final Logger log = LoggerFactory.getLogger(FileSystemArtifactStore.class);
    private static final String STAGING = ".staging";

    private final Path root;
    private final Path stagingRoot;
    private final ArtifactFileCatalog catalog;
    private final Clock clock;

    public FileSystemArtifactStore(Path root, ArtifactFileCatalog catalog, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.stagingRoot = this.root.resolve(STAGING);
        this.catalog = catalog;
        this.clock = clock;
        try {
            Files.createDirectories(stagingRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the artifact store in " + this.root + ": " + e.getMessage(), e);
        }
        int cleaned = cleanStaleStaging();
        if (cleaned > 0) {
            log.info("Deleted {} staging area(s) of artifact builds that did not finish", cleaned);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Deletes the staging areas no running build holds (their process crashed or was killed).
     *
     * @return how many were deleted
     */
    public int cleanStaleStaging() {
        return LocalStaging.cleanStale(stagingRoot);
    }

    @Override
    public ArtifactStaging stage(ArtifactKind kind, UUID artifactId) {
        return new Staging(kind, artifactId);
    }

    @Override
    public List<StoredFile> files(ArtifactKind kind, UUID artifactId) {
        return catalog.list(kind, artifactId);
    }

    @Override
    public Optional<StoredFile> find(ArtifactKind kind, UUID artifactId, String name) {
        return catalog.find(kind, artifactId, ArtifactNames.requireFileName(name));
    }

    @Override
    public InputStream open(StoredFile file, long offset) throws IOException {
        Path path = publishedPath(file.kind(), file.artifactId(), file.name());
        SeekableByteChannel channel =
                Files.newByteChannel(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        try {
            channel.position(offset);
            return Channels.newInputStream(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Optional<Path> localFile(StoredFile file) throws IOException {
        Path path = publishedPath(file.kind(), file.artifactId(), file.name());
        BasicFileAttributes attributes =
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile() || attributes.size() != file.size()) {
            throw new NoSuchFileException(
                    path.toString(),
                    null,
                    "replaced since it was found: not the file of " + file.size() + " bytes published as "
                            + file.path());
        }
        return Optional.of(path);
    }

    @Override
    public void delete(ArtifactKind kind, UUID artifactId) {
        catalog.delete(kind, artifactId);
        try {
            deleteRecursively(artifactDir(kind, artifactId));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot delete the files of " + kind + "/" + artifactId + ": " + e.getMessage(), e);
        }
    }

    private Path artifactDir(ArtifactKind kind, UUID artifactId) {
        return root.resolve(kind.wireName()).resolve(artifactId.toString());
    }

    private Path publishedPath(ArtifactKind kind, UUID artifactId, String name) {
        Path path = artifactDir(kind, artifactId).resolve(ArtifactNames.requireFileName(name));
        if (!path.normalize().startsWith(root) || path.startsWith(stagingRoot)) {
            throw new IllegalStateException("refusing a path outside the artifact store: " + path);
        }
        return path;
    }

    static void deleteRecursively(Path path) throws IOException {
        LocalStaging.deleteRecursively(path);
    }

    /** Flushes a directory's entries (new, renamed and deleted files) to disk. */
    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private final class Staging extends LocalStaging {
        Staging(ArtifactKind kind, UUID artifactId) {
            super(stagingRoot, kind, artifactId);
        }

        @Override
        List<StoredFile> publishStaged(List<Path> staged) throws IOException {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            List<StoredFile> files = new ArrayList<>();
            for (Path file : staged) {
                Files.setLastModifiedTime(file, FileTime.from(now));
                LocalStaging.Digest digest = LocalStaging.flushAndHash(file);
                files.add(new StoredFile(
                        kind(), artifactId(), file.getFileName().toString(), digest.size(), digest.sha256(), now));
            }
            Path target = artifactDir(kind(), artifactId());
            Files.createDirectories(target);
            fsyncDirectory(target.getParent());
            for (Path file : staged) {
                Files.move(file, target.resolve(file.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
            }
            fsyncDirectory(target);
            catalog.replace(kind(), artifactId(), files);
            removeFilesNotIn(target, files);
            return files;
        }

        private static void removeFilesNotIn(Path target, List<StoredFile> files) throws IOException {
            Set<String> keep = files.stream().map(StoredFile::name).collect(Collectors.toSet());
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                for (Path entry : entries) {
                    if (!keep.contains(entry.getFileName().toString())) {
                        deleteRecursively(entry);
                    }
                }
            }
        }
    }
}
