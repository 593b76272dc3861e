package io.clusterplatform.provisioner.distributor.pxe;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.distributors.DistributorRules;
import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The payload of an {@code update} command: the seed's fields ({@code ipxePxeUefiUrl},
 * {@code ipxePxeBiosUrl}, {@code artifactId}, {@code device}, {@code range}), plus, for bootloaders
 * the server built itself, the expected {@code ...Sha256} and the {@code ...ScriptUrl} of the
 * script beside them.
 */
public record PxeSettings(String artifactId, String device, String range, List<Source> bootloaders) {
    /** Where one architecture's iPXE binary comes from. {@code sha256} and {@code scriptUrl} may be null. */
    public record Source(PxeArchitecture architecture, String field, String url, String sha256, String scriptUrl) {}

    public static PxeSettings fromPayload(JsonNode payload) {
        String device = DistributorRules.requireDevice("device", text(payload, "device"));
        String range = DistributorRules.requireIpv4("range", text(payload, "range"));
        List<Source> sources = new ArrayList<>();
        add(sources, payload, PxeArchitecture.BIOS, "ipxePxeBios");
        add(sources, payload, PxeArchitecture.UEFI_X64, "ipxePxeUefi");
        add(sources, payload, PxeArchitecture.ARM64_UEFI, "ipxePxeArm64");
        if (sources.isEmpty()) {
            throw ProblemException.invalid("the update names no bootloader: give ipxePxeBiosUrl or ipxePxeUefiUrl");
        }
        return new PxeSettings(text(payload, "artifactId"), device, range, List.copyOf(sources));
    }

    private static void add(List<Source> sources, JsonNode payload, PxeArchitecture arch, String prefix) {
        String url = text(payload, prefix + "Url");
        if (url == null) {
            return;
        }
        DistributorRules.requireHttpUrl(prefix + "Url", url);
        String sha = text(payload, prefix + "Sha256");
        if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
            throw ProblemException.invalid("'" + prefix + "Sha256' is not a SHA-256 in hex: " + sha);
        }
        String script = text(payload, prefix + "ScriptUrl");
        sources.add(new Source(arch, prefix + "Url", url, sha == null ? null : sha.toLowerCase(Locale.ROOT), script));
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
