package io.clusterplatform.provisioner.server.distributors;

/** The answer to creating an enrollment token: the only time the token itself is shown. */
public record CreatedDistributorToken(long id, String artifactId, String name, String prefix, String token) {}
