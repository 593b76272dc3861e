package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The payload of an {@code update} command: the five settings of {@code PUT /api/distributors/{id}}
 * under the seed's names and, for each iPXE URL that names a file of this server's artifact store,
 * that file's SHA-256 (the agent checks its download against it) and the absolute URL of the {@code
 * script.ipxe} built beside it (when there is one), which the agent's proxyDHCP can hand to iPXE.
 * The extra fields are left out for URLs of other servers; they are not part of the stored settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdatePayload(
        String ipxePxeUefiUrl,
        String ipxePxeBiosUrl,
        String artifactId,
        String device,
        String range,
        String ipxePxeUefiSha256,
        String ipxePxeUefiScriptUrl,
        String ipxePxeBiosSha256,
        String ipxePxeBiosScriptUrl,
        String ipxePxeArm64Url,
        String ipxePxeArm64Sha256,
        String ipxePxeArm64ScriptUrl) {

    /** What this server knows of a bootloader it serves: its SHA-256 and its script's URL (either may be null). */
    public record Served(String sha256, String scriptUrl) {
        /** A bootloader of another server: nothing known. */
        public static final Served ELSEWHERE = new Served(null, null);
    }

    public static UpdatePayload of(DistributorSettings settings, Served uefi, Served bios, Served arm64) {
        return new UpdatePayload(
                settings.ipxePxeUefiUrl(),
                settings.ipxePxeBiosUrl(),
                settings.artifactId(),
                settings.device(),
                settings.range(),
                uefi.sha256(),
                uefi.scriptUrl(),
                bios.sha256(),
                bios.scriptUrl(),
                settings.ipxePxeArm64Url(),
                arm64.sha256(),
                arm64.scriptUrl());
    }

    /** The settings part, as stored and listed. */
    public DistributorSettings settings() {
        return new DistributorSettings(ipxePxeUefiUrl, ipxePxeBiosUrl, artifactId, device, range, ipxePxeArm64Url);
    }
}
