package io.clusterplatform.provisioner.server.distributors;

/** What an operator set with {@code PUT /api/distributors/{id}}; the core of an update command's {@link UpdatePayload}. */
public record DistributorSettings(
        String ipxePxeUefiUrl, String ipxePxeBiosUrl, String artifactId, String device, String range) {}
