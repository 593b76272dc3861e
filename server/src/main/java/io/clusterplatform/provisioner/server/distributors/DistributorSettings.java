package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.distributors.protocol.Bootloader;
import io.clusterplatform.provisioner.core.distributors.protocol.UpdateCommand;
import java.util.EnumMap;
import java.util.Map;

/**
 * What an operator set with {@code PUT /api/distributors/{id}}: the original API's five fields and the optional
 * iPXE for arm64 UEFI hosts (left out when not set); the core of an {@link UpdateCommand}.
 */
public record DistributorSettings(
        String ipxePxeUefiUrl,
        String ipxePxeBiosUrl,
        String artifactId,
        String device,
        String range,
        @JsonInclude(JsonInclude.Include.NON_NULL) String ipxePxeArm64Url) {

    /** The settings an update command carries. */
    public static DistributorSettings of(UpdateCommand update) {
        Map<PxeArchitecture, Bootloader> loaders = update.bootloaders();
        return new DistributorSettings(
                url(loaders.get(PxeArchitecture.UEFI_X64)),
                url(loaders.get(PxeArchitecture.BIOS)),
                update.artifactId(),
                update.device(),
                update.range(),
                url(loaders.get(PxeArchitecture.ARM64_UEFI)));
    }

    /** The iPXE URL set for {@code architecture}, or null. */
    public String url(PxeArchitecture architecture) {
        return switch (architecture) {
            case BIOS -> ipxePxeBiosUrl;
            case UEFI_X64 -> ipxePxeUefiUrl;
            case ARM64_UEFI -> ipxePxeArm64Url;
        };
    }

    /**
     * The update command for these settings: each URL set, with what this server knows of it from
     * {@code served} (its checksum and script; a URL not in there is another server's).
     */
    public UpdateCommand command(Map<PxeArchitecture, Bootloader> served) {
        Map<PxeArchitecture, Bootloader> loaders = new EnumMap<>(PxeArchitecture.class);
        for (PxeArchitecture architecture : PxeArchitecture.values()) {
            String url = url(architecture);
            if (url != null) {
                loaders.put(architecture, served.getOrDefault(architecture, new Bootloader(url, null, null)));
            }
        }
        return new UpdateCommand(artifactId, device, range, loaders);
    }

    private static String url(Bootloader loader) {
        return loader == null ? null : loader.url();
    }
}
