package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The artifact store in an S3 bucket (any S3-compatible store), for several replicas that share one
 * database: builds stage their files on the local disk as on the file system store ({@link
 * LocalStaging}), and a publication uploads each file (in parts above 16 MiB) to
 * an object named by its hash, {@code <prefix><kind>/<uuid>/<sha256>/<name>}, then records them in
 * {@link ArtifactFileCatalog} and deletes the artifact's objects of earlier publications. An object is
 * never written over: a reader that found a file reads that file's bytes or, once a later
 * publication removed them, gets {@link NoSuchFileException}; a file is served only when it has a
 * row in the catalog, so what a crashed publication uploaded is never served (and goes with the next
 * publication or deletion of its artifact).
 *
 * <p>Downloads stream through the server ({@link #open} with a ranged GET); {@link #localFile} is
 * always empty, since booting hosts may not reach the store.
 */
public final class S3ArtifactStore implements ArtifactStore {
    private static final Logger log = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path stagingRoot;
    private final ArtifactFileCatalog catalog;
    private final Clock clock;

    /**
     * @param prefix the start of every object name ("" or ending in "/")
     * @param stagingRoot the local directory of staging areas (builds write there)
     */
    public S3ArtifactStore(
            S3Client s3, String bucket, String prefix, Path stagingRoot, ArtifactFileCatalog catalog, Clock clock) {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("an object prefix ends with '/': " + prefix);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.stagingRoot = stagingRoot.toAbsolutePath().normalize();
        this.catalog = catalog;
        this.clock = clock;
        try {
            Files.createDirectories(this.stagingRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the staging directory " + this.stagingRoot + ": " + e.getMessage(), e);
        }
        int cleaned = LocalStaging.cleanStale(this.stagingRoot);
        if (cleaned > 0) {
            log.info("Deleted {} staging area(s) of artifact builds that did not finish", cleaned);
        }
    }

    /** Where a published file's bytes are: {@code <prefix><kind>/<uuid>/<sha256>/<name>}. */
    public String key(StoredFile file) {
        return artifactPrefix(file.kind(), file.artifactId()) + file.sha256() + "/"
                + ArtifactNames.requireFileName(file.name());
    }

    private String artifactPrefix(ArtifactKind kind, UUID artifactId) {
        return prefix + kind.wireName() + "/" + artifactId + "/";
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
        if (offset >= file.size()) {
            return InputStream.nullInputStream(); // a range from the end is no range S3 serves
        }
        try {
            return s3.getObject(GetObjectRequest.builder()
                    .bucket(bucket)
                    .key(key(file))
                    .range("bytes=" + offset + "-")
                    .build());
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(
                    file.path(), null, "no longer in the bucket: replaced or deleted since it was found");
        } catch (S3Exception e) {
            throw new IOException("the object store refused " + key(file) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Path> localFile(StoredFile file) {
        return Optional.empty();
    }

    @Override
    public void delete(ArtifactKind kind, UUID artifactId) {
        catalog.delete(kind, artifactId);
        deleteObjectsExcept(kind, artifactId, Set.of());
    }

    /**
     * Deletes the artifact's objects whose names are not in {@code keep}, one by one: an artifact has
     * a few, and DeleteObjects needs a checksum header that not every S3-compatible store takes.
     */
    private void deleteObjectsExcept(ArtifactKind kind, UUID artifactId, Set<String> keep) {
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(artifactPrefix(kind, artifactId)))
                .contents()) {
            if (!keep.contains(object.key()) && !object.key().endsWith("/")) {
                s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
            }
        }
    }

    /**
     * Uploads a file: in one PUT up to {@link S3Location#PART_SIZE}, else in parts of that size (up to
     * 10,000 parts, 156 GiB), aborted if a part fails so that no incomplete upload is left to pay
     * for. By hand over the sync client, not by the SDK's multipart async client: that one sends
     * checksum headers S3-compatible stores refuse (s3proxy answers 501).
     */
    private void uploadObject(Path file, StoredFile stored) throws IOException {
        String key = key(stored);
        java.util.Map<String, String> metadata = java.util.Map.of("sha256", stored.sha256());
        if (stored.size() <= S3Location.PART_SIZE) {
            s3.putObject(
                    b -> b.bucket(bucket).key(key).contentLength(stored.size()).metadata(metadata),
                    RequestBody.fromFile(file));
            return;
        }
        String uploadId = s3.createMultipartUpload(
                        b -> b.bucket(bucket).key(key).metadata(metadata))
                .uploadId();
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            long offset = 0;
            for (int number = 1; offset < stored.size(); number++) {
                long length = Math.min(S3Location.PART_SIZE, stored.size() - offset);
                long from = offset;
                int part = number;
                String etag = s3.uploadPart(
                                b -> b.bucket(bucket)
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(part)
                                        .contentLength(length),
                                RequestBody.fromContentProvider(
                                        () -> new BoundedInputStream(channel, from, length),
                                        length,
                                        "application/octet-stream"))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
                offset += length;
            }
            s3.completeMultipartUpload(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /** {@code length} bytes of a file channel from {@code from}, read with positional reads (no shared position). */
    private static final class BoundedInputStream extends InputStream {
        private final java.nio.channels.FileChannel channel;
        private long position;
        private final long end;

        BoundedInputStream(java.nio.channels.FileChannel channel, long from, long length) {
            this.channel = channel;
            this.position = from;
            this.end = from + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new java.io.EOFException("the staged file is shorter than it was when hashed");
            }
            position += n;
            return n;
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
                LocalStaging.Digest digest = LocalStaging.flushAndHash(file);
                StoredFile stored = new StoredFile(
                        kind(), artifactId(), file.getFileName().toString(), digest.size(), digest.sha256(), now);
                upload(file, stored);
                files.add(stored);
            }
            catalog.replace(kind(), artifactId(), files);
            deleteObjectsExcept(
                    kind(),
                    artifactId(),
                    files.stream().map(S3ArtifactStore.this::key).collect(Collectors.toSet()));
            return files;
        }

        private void upload(Path file, StoredFile stored) throws IOException {
            try {
                uploadObject(file, stored);
            } catch (S3Exception | software.amazon.awssdk.core.exception.SdkClientException e) {
                throw new IOException(
                        "cannot upload " + stored.name() + " to s3://" + bucket + "/" + key(stored) + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }
}
