package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import java.time.Instant;
import java.util.UUID;

/**
 * One published file of an artifact.
 *
 * @param kind the artifact's kind
 * @param artifactId the artifact's UUID
 * @param name the file name, one plain segment (see {@code ArtifactNames.requireFileName})
 * @param size its length in bytes
 * @param sha256 the SHA-256 of its bytes, lower-case hex
 * @param lastModified when it was published (whole seconds, as HTTP dates carry)
 */
public record StoredFile(
        ArtifactKind kind, UUID artifactId, String name, long size, String sha256, Instant lastModified) {

    /** Where it is downloaded from, relative to the server's base URL: {@code /ipxes/<uuid>/ipxe.efi}. */
    public String path() {
        return "/" + kind.wireName() + "/" + artifactId + "/" + name;
    }
}
