package io.clusterplatform.provisioner.server.auth;

/** The answer to creating a token: the only time the token itself is shown. */
public record CreatedApiToken(long id, String name, String prefix, String token) {}
