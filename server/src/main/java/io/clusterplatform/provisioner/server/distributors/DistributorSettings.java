package io.clusterplatform.provisioner.server.distributors;

/** What an operator set with {@code PUT /api/distributors/{id}}; also the payload of an update command. */
public record DistributorSettings(
        String ipxePxeUefiUrl, String ipxePxeBiosUrl, String artifactId, String device, String range) {}
