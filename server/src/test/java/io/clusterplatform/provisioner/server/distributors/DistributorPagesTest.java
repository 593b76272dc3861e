package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the distributor page shows of its commands, read through core's protocol types. */
class DistributorPagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA = "ab".repeat(32);

    @Test
    void theBootloadersOfAnUpdateAreListedByArchitectureWithTheirTftpFiles() throws Exception {
        DistributorCommand update = command("update", """
                {"ipxePxeUefiUrl": "http://s/ipxes/b/ipxe.efi?x=1", "ipxePxeBiosUrl": "http://s/ipxes/c/ipxe.kpxe",
                 "artifactId": "lab", "device": "eth0", "range": "10.0.0.1",
                 "ipxePxeBiosSha256": "%s", "ipxePxeBiosScriptUrl": "http://s/ipxes/c/proxydhcp.ipxe",
                 "ipxePxeArm64Url": "http://s/ipxes/a/snp.efi"}
                """.formatted(SHA), null);

        assertThat(DistributorPages.bootloaders(update))
                .containsExactly(
                        new DistributorPages.Bootloader(
                                "BIOS",
                                "bios/ipxe.kpxe",
                                "http://s/ipxes/c/ipxe.kpxe",
                                SHA,
                                "http://s/ipxes/c/proxydhcp.ipxe"),
                        new DistributorPages.Bootloader(
                                "UEFI x86-64", "uefi/ipxe.efi", "http://s/ipxes/b/ipxe.efi?x=1", null, null),
                        new DistributorPages.Bootloader(
                                "UEFI arm64", "arm64/snp.efi", "http://s/ipxes/a/snp.efi", null, null));
        assertThat(DistributorPages.bootloaders(command("status", "{\"on\": true}", null)))
                .isEmpty();
    }

    @Test
    void theConfigurationIsTheLastSectionOfTheAgentsOutput() throws Exception {
        DistributorCommand on = command(
                "status",
                "{\"on\": true}",
                "dnsmasq started (pid 42)\n--- /var/lib/provisioner/distributor/dnsmasq.conf ---\nport=0\n");

        DistributorPages.Configuration configuration = DistributorPages.configuration(on);

        assertThat(configuration.file()).isEqualTo("/var/lib/provisioner/distributor/dnsmasq.conf");
        assertThat(configuration.text()).isEqualTo("port=0\n");
        assertThat(configuration.command()).isSameAs(on);
        assertThat(DistributorPages.configuration(command("status", "{\"on\": false}", "dnsmasq stopped")))
                .isNull();
    }

    @Test
    void aCommandIsSummedUpByItsKindAndAStatusByWhatItAsks() throws Exception {
        assertThat(command("status", "{\"on\": true}", null).summary()).isEqualTo("PXE on");
        assertThat(command("status", "{\"on\": false}", null).summary()).isEqualTo("PXE off");
        assertThat(command("script", "{\"runId\": 3}", null).summary()).isEqualTo("script");
        assertThat(command("reboot", "{}", null).summary()).isEqualTo("reboot");
        assertThat(command("reboot", "{}", null).command()).isEmpty();
    }

    private static DistributorCommand command(String kind, String payload, String output) throws Exception {
        JsonNode json = JSON.readTree(payload);
        return new DistributorCommand(
                1, 2, kind, json, "done", 1, output, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
    }
}
