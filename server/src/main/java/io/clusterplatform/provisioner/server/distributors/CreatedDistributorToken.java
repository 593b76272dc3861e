package io.clusterplatform.provisioner.server.distributors;

/** The answer to creating an enrollment token: the only time the token itself is shown. */
public record CreatedDistributorToken(long id, String artifactId, String name, String prefix, String token) {

    /** Everything but the token itself, which is shown once and never logged. */
    @Override
    public String toString() {
        return "CreatedDistributorToken[id=" + id + ", artifactId=" + artifactId + ", name=" + name + ", prefix="
                + prefix + "]";
    }
}
