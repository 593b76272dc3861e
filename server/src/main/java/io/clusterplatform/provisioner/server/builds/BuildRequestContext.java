package io.clusterplatform.provisioner.server.builds;

/**
 * What a request knows that a job worker does not: the base URL the caller reached the server at
 * (or the configured public URL), for scripts that must point back at this server.
 */
public record BuildRequestContext(String baseUrl) {}
