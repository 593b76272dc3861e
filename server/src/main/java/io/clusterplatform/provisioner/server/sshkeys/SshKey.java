package io.clusterplatform.provisioner.server.sshkeys;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One stored SSH key: the original API's {@code {id, text, artifactId, private}} plus an optional name, the
 * algorithm ({@code ecdsa}, {@code ed25519}, {@code rsa}), the SHA-256 fingerprint as
 * {@code ssh-keygen -l} prints it and timestamps. {@code text} is the normalised key; it is null in
 * lists when the key is private.
 */
@JsonPropertyOrder({"id", "name", "text", "artifactId", "private", "algorithm", "fingerprint", "createdAt", "updatedAt"
})
public record SshKey(
        long id,
        String name,
        String text,
        String artifactId,
        @JsonProperty("private") boolean isPrivate,
        String algorithm,
        String fingerprint,
        Instant createdAt,
        Instant updatedAt) {

    /** This key as lists show it: a private key without its text. */
    public SshKey listed() {
        return isPrivate
                ? new SshKey(id, name, null, artifactId, true, algorithm, fingerprint, createdAt, updatedAt)
                : this;
    }

    @Override
    public String toString() {
        // Never print a private key, e.g. in a log line or an assertion message.
        return "SshKey[" + id + ", " + (isPrivate ? "private" : "public") + ", " + algorithm + ", " + fingerprint
                + ", artifactId=" + artifactId + "]";
    }
}
