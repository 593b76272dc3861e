package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
    private static final String LOCK_SUFFIX = ".lock";

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
        int cleaned = 0;
        try (Stream<Path> entries = Files.list(stagingRoot)) {
            List<Path> all = entries.toList();
            Set<String> names =
                    all.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            for (Path entry : all) {
                String name = entry.getFileName().toString();
                if (name.endsWith(LOCK_SUFFIX)) {
                    Path dir = stagingRoot.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
                    if (deleteIfUnlocked(entry, dir)) {
                        cleaned++;
                    }
                } else if (!names.contains(name + LOCK_SUFFIX)) {
                    // a staging directory is created after its lock file, so one without is a leftover
                    deleteRecursively(entry);
                    cleaned++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + stagingRoot + ": " + e.getMessage(), e);
        }
        return cleaned;
    }

    private static boolean deleteIfUnlocked(Path lockFile, Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false; // another process is building
            }
            deleteRecursively(dir);
            Files.deleteIfExists(lockFile);
            return true;
        } catch (OverlappingFileLockException heldByThisProcess) {
            return false;
        } catch (NoSuchFileException goneMeanwhile) {
            return false;
        }
    }

    @Override
    public ArtifactStaging stage(ArtifactKind kind, UUID artifactId) {
        try {
            return new Staging(kind, artifactId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging area in " + stagingRoot + ": " + e.getMessage(), e);
        }
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
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Flushes a directory's entries (new, renamed and deleted files) to disk. */
    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Flushes a file to disk and returns its size and SHA-256, read back from what was written. */
    private static Digest fsyncAndHash(Path file) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
        long size = 0;
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            channel.force(true);
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
            int read;
            while ((read = channel.read(buffer)) >= 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
                size += read;
            }
        }
        return new Digest(size, HexFormat.of().formatHex(sha256.digest()));
    }

    private record Digest(long size, String sha256) {}

    private final class Staging implements ArtifactStaging {
        private final ArtifactKind kind;
        private final UUID artifactId;
        private final Path lockFile;
        private final Path dir;
        private final FileChannel lockChannel;
        private boolean closed;
        private boolean published;

        Staging(ArtifactKind kind, UUID artifactId) throws IOException {
            this.kind = kind;
            this.artifactId = artifactId;
            String id = kind.wireName() + "-" + artifactId + "-" + UUID.randomUUID();
            this.lockFile = stagingRoot.resolve(id + LOCK_SUFFIX);
            this.dir = stagingRoot.resolve(id);
            this.lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                lockChannel.lock();
                Files.createDirectory(dir);
            } catch (IOException | RuntimeException e) {
                lockChannel.close();
                Files.deleteIfExists(lockFile);
                throw e;
            }
        }

        @Override
        public ArtifactKind kind() {
            return kind;
        }

        @Override
        public UUID artifactId() {
            return artifactId;
        }

        @Override
        public synchronized Path file(String name) {
            requireOpen();
            return dir.resolve(ArtifactNames.requireFileName(name));
        }

        @Override
        public OutputStream create(String name) {
            Path file = file(name);
            try {
                return Files.newOutputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized List<StoredFile> publish() {
            requireOpen();
            published = true;
            try {
                return publishStaged();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot publish the files of " + kind + "/" + artifactId + ": " + e.getMessage(), e);
            } finally {
                close();
            }
        }

        private List<StoredFile> publishStaged() throws IOException {
            List<Path> staged = stagedFiles();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            List<StoredFile> files = new ArrayList<>();
            for (Path file : staged) {
                Files.setLastModifiedTime(file, FileTime.from(now));
                Digest digest = fsyncAndHash(file);
                files.add(new StoredFile(
                        kind, artifactId, file.getFileName().toString(), digest.size(), digest.sha256(), now));
            }
            Path target = artifactDir(kind, artifactId);
            Files.createDirectories(target);
            fsyncDirectory(target.getParent());
            for (Path file : staged) {
                Files.move(file, target.resolve(file.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
            }
            fsyncDirectory(target);
            catalog.replace(kind, artifactId, files);
            removeFilesNotIn(target, files);
            return files;
        }

        /** The staged files by name; anything else in the staging area is a builder's mistake. */
        private List<Path> stagedFiles() throws IOException {
            List<Path> staged = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    BasicFileAttributes attributes =
                            Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!attributes.isRegularFile()) {
                        throw new IllegalStateException("cannot publish '" + name + "' of " + kind + "/" + artifactId
                                + ": only plain files can be published, not directories or symbolic links");
                    }
                    ArtifactNames.requireFileName(name);
                    staged.add(entry);
                }
            }
            if (staged.isEmpty()) {
                throw new IllegalStateException(
                        "nothing to publish for " + kind + "/" + artifactId + ": no file was staged");
            }
            staged.sort(Comparator.comparing(p -> p.getFileName().toString()));
            return staged;
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

        private void requireOpen() {
            if (published) {
                throw new IllegalStateException("the staging area of " + kind + "/" + artifactId
                        + " was already published: stage again for a new build");
            }
            if (closed) {
                throw new IllegalStateException("the staging area of " + kind + "/" + artifactId + " is closed");
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                deleteRecursively(dir);
            } catch (IOException e) {
                log.warn("Could not delete the staging area {} (deleted at the next start): {}", dir, e.getMessage());
            }
            try {
                Files.deleteIfExists(lockFile);
                lockChannel.close();
            } catch (IOException e) {
                log.warn("Could not release the staging lock {}: {}", lockFile, e.getMessage());
            }
        }
    }
}
