package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.distributors.protocol.Bootloader;
import io.clusterplatform.provisioner.core.distributors.protocol.UpdateCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The update command the server queues: the previous release's payload, byte for byte. */
class DistributorSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String U = "http://s/ipxes/1/ipxe.efi";
    private static final String B = "http://s/ipxes/2/ipxe.kpxe";
    private static final String A = "http://s/ipxes/3/snp.efi";

    @Test
    void theOriginalsSettingsAloneAreTheOriginalsFields() throws Exception {
        DistributorSettings settings = new DistributorSettings(U, B, "lab", "eth0", "10.0.0.1", null);

        UpdateCommand update = settings.command(Map.of());

        assertThat(JSON.writeValueAsString(update.fields()))
                .isEqualTo("{\"ipxePxeUefiUrl\":\"" + U + "\",\"ipxePxeBiosUrl\":\"" + B
                        + "\",\"artifactId\":\"lab\",\"device\":\"eth0\",\"range\":\"10.0.0.1\"}");
        assertThat(DistributorSettings.of(update)).isEqualTo(settings);
    }

    @Test
    void whatTheServerKnowsOfItsBootloadersComesInThePreviousReleasesOrder() throws Exception {
        DistributorSettings settings = new DistributorSettings(U, B, "lab", "eth0", "10.0.0.1", A);

        UpdateCommand update = settings.command(Map.of(
                PxeArchitecture.UEFI_X64, new Bootloader(U, "u".repeat(3), "http://s/u.ipxe"),
                PxeArchitecture.BIOS, new Bootloader(B, "b".repeat(3), "http://s/b.ipxe"),
                PxeArchitecture.ARM64_UEFI, new Bootloader(A, "a".repeat(3), null)));

        assertThat(JSON.writeValueAsString(JSON.valueToTree(update.fields())))
                .isEqualTo("{\"ipxePxeUefiUrl\":\"" + U + "\",\"ipxePxeBiosUrl\":\"" + B
                        + "\",\"artifactId\":\"lab\",\"device\":\"eth0\",\"range\":\"10.0.0.1\""
                        + ",\"ipxePxeUefiSha256\":\"uuu\",\"ipxePxeUefiScriptUrl\":\"http://s/u.ipxe\""
                        + ",\"ipxePxeBiosSha256\":\"bbb\",\"ipxePxeBiosScriptUrl\":\"http://s/b.ipxe\""
                        + ",\"ipxePxeArm64Url\":\"" + A + "\",\"ipxePxeArm64Sha256\":\"aaa\"}");
        assertThat(DistributorSettings.of(update)).isEqualTo(settings);
        assertThat(settings.url(PxeArchitecture.ARM64_UEFI)).isEqualTo(A);
    }
}
