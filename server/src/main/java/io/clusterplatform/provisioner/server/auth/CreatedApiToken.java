package io.clusterplatform.provisioner.server.auth;

/** The answer to creating a token: the only time the token itself is shown. */
public record CreatedApiToken(long id, String name, String prefix, String token) {

    /** Everything but the token itself, which is shown once and never logged. */
    @Override
    public String toString() {
        return "CreatedApiToken[id=" + id + ", name=" + name + ", prefix=" + prefix + "]";
    }
}
