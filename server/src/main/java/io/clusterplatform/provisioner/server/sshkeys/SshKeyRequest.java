package io.clusterplatform.provisioner.server.sshkeys;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.sshkeys.ParsedSshKey;
import io.clusterplatform.provisioner.core.sshkeys.SshKeys;
import jakarta.validation.constraints.Size;

/**
 * The body of POST and PUT on {@code /api/sshkeys}, as in the original API's "Add public SSH key" and "Add
 * private SSH key".
 *
 * @param text an OpenSSH public key line, an OpenSSH private key or an unencrypted PEM private key
 * @param artifactId the site tag the key belongs to
 * @param isPrivate {@code private} in JSON: must agree with the text; taken from the text when absent
 * @param name an optional label for people
 */
public record SshKeyRequest(
        String text,
        String artifactId,
        @JsonProperty("private") Boolean isPrivate,
        @Size(max = 200) String name) {

    /** A request whose fields were all checked, with the key parsed and normalised. */
    public record Valid(String name, String artifactId, ParsedSshKey key) {}

    /** Checks every field; 400 problems say what is wrong (never quoting a key). */
    public Valid validated() {
        if (text == null) {
            throw ProblemException.invalid("'text' is required: the public key line or the private key");
        }
        if (artifactId == null || artifactId.isBlank()) {
            throw ProblemException.invalid("'artifactId' is required: the site tag the key belongs to");
        }
        if (!NodeAddresses.isArtifactId(artifactId)) {
            throw ProblemException.invalid("'artifactId' must be 1 to 253 letters, digits and . _ : -, got '"
                    + (artifactId.length() > 80 ? artifactId.substring(0, 80) + "..." : artifactId) + "'");
        }
        return new Valid(name, artifactId, SshKeys.parse(text, isPrivate));
    }

    @Override
    public String toString() {
        return "SshKeyRequest[artifactId=" + artifactId + ", private=" + isPrivate + ", name=" + name + "]";
    }
}
