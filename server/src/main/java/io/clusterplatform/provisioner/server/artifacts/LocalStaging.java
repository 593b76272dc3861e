package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A staging area on the local file system, whatever store publishes it: {@code
 * <stagingRoot>/<id>/}, next to a {@code <id>.lock} file its process holds an OS lock on while the
 * build runs. {@link #cleanStale} deletes, at a store's start, the areas whose lock no process holds
 * (their build crashed), and leaves those of builds still running in another process alone.
 * Subclasses say how the staged files are published.
 */
abstract class LocalStaging implements ArtifactStaging {
    private static final Logger log = LoggerFactory.getLogger(LocalStaging.class);
    static final String LOCK_SUFFIX = ".lock";

    private final ArtifactKind kind;
    private final UUID artifactId;
    private final Path lockFile;
    private final Path dir;
    private final FileChannel lockChannel;
    private boolean closed;
    private boolean published;

    LocalStaging(Path stagingRoot, ArtifactKind kind, UUID artifactId) {
        this.kind = kind;
        this.artifactId = artifactId;
        String id = kind.wireName() + "-" + artifactId + "-" + UUID.randomUUID();
        this.lockFile = stagingRoot.resolve(id + LOCK_SUFFIX);
        this.dir = stagingRoot.resolve(id);
        try {
            this.lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                lockChannel.lock();
                Files.createDirectory(dir);
            } catch (IOException | RuntimeException e) {
                lockChannel.close();
                Files.deleteIfExists(lockFile);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging area in " + stagingRoot + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code staged} (plain files, sorted by name, at least one) the artifact's files.
     *
     * @return the published files, by name
     */
    abstract List<StoredFile> publishStaged(List<Path> staged) throws IOException;

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
            return publishStaged(stagedFiles());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot publish the files of " + kind + "/" + artifactId + ": " + e.getMessage(), e);
        } finally {
            close();
        }
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

    /**
     * Deletes the staging areas under {@code stagingRoot} that no running build holds (their process
     * crashed or was killed).
     *
     * @return how many were deleted
     */
    static int cleanStale(Path stagingRoot) {
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

    /** A file's length and SHA-256 (lower-case hex). */
    record Digest(long size, String sha256) {}

    /** Flushes a file to disk and returns its size and SHA-256, read back from what was written. */
    static Digest flushAndHash(Path file) throws IOException {
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
}
