package io.clusterplatform.provisioner.distributor.pxe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;

class PxeSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheSeedsFieldsAndTheServersChecksumsAndScripts() throws Exception {
        JsonNode payload = JSON.readTree("""
                {"ipxePxeUefiUrl": "http://s:30003/ipxes/b/ipxe.efi", "ipxePxeBiosUrl": "http://s:30003/ipxes/c/ipxe.kpxe",
                 "artifactId": "1", "device": "enp0s25", "range": "192.168.178.1",
                 "ipxePxeUefiSha256": "%s", "ipxePxeUefiScriptUrl": "http://s/ipxes/b/script.ipxe"}
                """.formatted("AB".repeat(32)));

        PxeSettings settings = PxeSettings.fromPayload(payload);

        assertThat(settings.device()).isEqualTo("enp0s25");
        assertThat(settings.range()).isEqualTo("192.168.178.1");
        assertThat(settings.bootloaders())
                .extracting(PxeSettings.Source::architecture)
                .containsExactly(PxeArchitecture.BIOS, PxeArchitecture.UEFI_X64);
        PxeSettings.Source uefi = settings.bootloaders().get(1);
        assertThat(uefi.sha256()).isEqualTo("ab".repeat(32));
        assertThat(uefi.scriptUrl()).isEqualTo("http://s/ipxes/b/script.ipxe");
        assertThat(settings.bootloaders().get(0).sha256()).isNull();
    }

    @Test
    void refusesWhatDnsmasqCouldNotUse() throws Exception {
        assertThatThrownBy(
                        () -> PxeSettings.fromPayload(JSON.readTree("{\"device\": \"eth0\", \"range\": \"10.0.0.1\"}")))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("no bootloader");
        assertThatThrownBy(() -> PxeSettings.fromPayload(JSON.readTree(
                        "{\"ipxePxeBiosUrl\": \"ftp://x/y\", \"device\": \"eth0\", \"range\": \"10.0.0.1\"}")))
                .hasMessageContaining("'ipxePxeBiosUrl' must be an http:// or https:// URL");
        assertThatThrownBy(() -> PxeSettings.fromPayload(JSON.readTree(
                        "{\"ipxePxeBiosUrl\": \"http://x/y\", \"device\": \"eth0\", \"range\": \"10.0.0\"}")))
                .hasMessageContaining("'range' must be an IPv4 address");
        assertThatThrownBy(() -> PxeSettings.fromPayload(JSON.readTree(
                        "{\"ipxePxeBiosUrl\": \"http://x/y\", \"ipxePxeBiosSha256\": \"abc\", \"device\": \"eth0\","
                                + " \"range\": \"10.0.0.1\"}")))
                .hasMessageContaining("not a SHA-256");
    }
}
