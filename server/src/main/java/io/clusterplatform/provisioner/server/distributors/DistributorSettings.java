package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an operator set with {@code PUT /api/distributors/{id}}: the seed's five fields and the optional
 * iPXE for arm64 UEFI hosts (left out when not set); the core of an update command's {@link
 * UpdatePayload}.
 */
public record DistributorSettings(
        String ipxePxeUefiUrl,
        String ipxePxeBiosUrl,
        String artifactId,
        String device,
        String range,
        @JsonInclude(JsonInclude.Include.NON_NULL) String ipxePxeArm64Url) {}
