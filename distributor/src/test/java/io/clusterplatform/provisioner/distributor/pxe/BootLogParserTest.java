package io.clusterplatform.provisioner.distributor.pxe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Lines as dnsmasq 2.90 wrote them in the lab (BIOS host with qemu's iPXE ROM, UEFI host with OVMF). */
class BootLogParserTest {
    private final BootLogParser parser = new BootLogParser(
            Path.of("/srv/dist/tftp"),
            ip -> Optional.ofNullable(
                    Map.of("10.213.250.101", "52:54:00:00:00:02").get(ip)));

    @Test
    void aProxyOfferNamesTheMac() {
        BootLogParser.Parsed event = parser.parse("dnsmasq-dhcp[29443]: 2776764790 PXE(eth0) 52:54:00:00:00:02 proxy")
                .orElseThrow();

        assertThat(event)
                .isEqualTo(new BootLogParser.Parsed(
                        "dhcp",
                        "52:54:00:00:00:02",
                        null,
                        null,
                        "dnsmasq-dhcp[29443]: 2776764790 PXE(eth0) 52:54:00:00:00:02 proxy"));
    }

    @Test
    void aBootServerReplyNamesIpMacAndTheFileHandedOut() {
        BootLogParser.Parsed event = parser.parse(
                        "dnsmasq-dhcp[29443]: 0 PXE(eth0) 10.213.250.100 52:54:00:00:00:01 http://10.213.250.2:8000/boot.ipxe")
                .orElseThrow();

        assertThat(event.kind()).isEqualTo("dhcp");
        assertThat(event.ip()).isEqualTo("10.213.250.100");
        assertThat(event.mac()).isEqualTo("52:54:00:00:00:01");
        assertThat(event.file()).isEqualTo("http://10.213.250.2:8000/boot.ipxe");
    }

    @Test
    void tftpLinesGetTheMacFromTheNeighbourTableAndAPathUnderTheRoot() {
        BootLogParser.Parsed sent = parser.parse(
                        "dnsmasq-tftp[29443]: sent /srv/dist/tftp/uefi/ipxe.efi to 10.213.250.101")
                .orElseThrow();
        BootLogParser.Parsed missing = parser.parse(
                        "dnsmasq-tftp[29443]: file /srv/dist/tftp/autoexec.ipxe not found for 10.213.250.101")
                .orElseThrow();
        BootLogParser.Parsed aborted = parser.parse(
                        "dnsmasq-tftp[29443]: error 8 User aborted the transfer received from 10.213.250.77")
                .orElseThrow();

        assertThat(sent)
                .extracting("kind", "mac", "ip", "file")
                .containsExactly("tftp", "52:54:00:00:00:02", "10.213.250.101", "uefi/ipxe.efi");
        assertThat(missing.file()).isEqualTo("autoexec.ipxe");
        assertThat(aborted)
                .extracting("kind", "mac", "ip", "file")
                .containsExactly("tftp", null, "10.213.250.77", null);
    }

    @Test
    void serviceLinesAreKeptAndDetailLinesAreNot() {
        assertThat(parser.parse("dnsmasq[29443]: started, version 2.90 DNS disabled"))
                .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("service"));
        assertThat(parser.parse("dnsmasq[29443]: exiting on receipt of SIGTERM"))
                .isPresent();
        assertThat(parser.parse("dnsmasq: unknown interface eth9")).isPresent();
        assertThat(parser.parse("dnsmasq-dhcp[29443]: 3652740870 vendor class: PXEClient:Arch:00007:UNDI:003010"))
                .isEmpty();
        assertThat(parser.parse("dnsmasq-dhcp[29443]: 0 sent size:  1 option: 53 message-type  5"))
                .isEmpty();
        assertThat(parser.parse("dnsmasq-dhcp[29443]: 3652740870 tags: ipxe, eth0"))
                .isEmpty();
    }

    /** A host of an architecture the site has no iPXE for: its offer and its failed TFTP say what to set. */
    @Test
    void aHostOfAnArchitectureWithoutIpxeIsToldWhatIsMissing() {
        BootLogParser.Parsed offer = parser.parse(
                        "dnsmasq-dhcp[29443]: 0 PXE(eth0) 10.213.250.101 52:54:00:00:00:02 not-configured/uefi")
                .orElseThrow();
        BootLogParser.Parsed tftp = parser.parse(
                        "dnsmasq-tftp[29443]: file /srv/dist/tftp/not-configured/uefi not found for 10.213.250.101")
                .orElseThrow();

        assertThat(offer.file()).isEqualTo("not-configured/uefi");
        assertThat(offer.message())
                .startsWith("this site has no iPXE for UEFI x86-64 hosts: set ipxePxeUefiUrl with PUT"
                        + " /api/distributors/{id}");
        assertThat(tftp.mac()).isEqualTo("52:54:00:00:00:02");
        assertThat(tftp.message()).startsWith("this site has no iPXE for UEFI x86-64 hosts");
        assertThat(parser.parse(
                                "dnsmasq-tftp[29443]: file /srv/dist/tftp/not-configured/bios.0 not found for 10.213.250.101")
                        .orElseThrow()
                        .message())
                .as("a BIOS PXE ROM asks for the file with .0 appended")
                .startsWith("this site has no iPXE for BIOS hosts: set ipxePxeBiosUrl");
    }
}
