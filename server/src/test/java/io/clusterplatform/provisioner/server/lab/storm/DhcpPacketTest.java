package io.clusterplatform.provisioner.server.lab.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DhcpPacketTest {
    private static final byte[] MAC = HexFormat.ofDelimiter(":").parseHex("02:c5:00:00:01:02");

    @Test
    void aPxeDiscoverReadsBackWithTheOptionsFirmwareSends() {
        DhcpPacket discover = DhcpPacket.pxeDiscover(0x1234abcd, MAC, DhcpPacket.ARCH_EFI_X64, true);

        DhcpPacket read = DhcpPacket.parse(discover.encode());

        assertThat(read).isEqualTo(discover);
        assertThat(read.messageType()).isEqualTo(DhcpPacket.DISCOVER);
        assertThat(read.flags()).isEqualTo(DhcpPacket.BROADCAST);
        assertThat(read.mac()).isEqualTo("02:c5:00:00:01:02");
        assertThat(read.text(DhcpPacket.OPT_VENDOR_CLASS)).contains("PXEClient:Arch:00007:UNDI:002001");
        assertThat(read.option(DhcpPacket.OPT_CLIENT_ARCH))
                .hasValueSatisfying(a -> assertThat(a).containsExactly(0, 7));
        assertThat(read.text(DhcpPacket.OPT_USER_CLASS)).contains("iPXE");
        assertThat(read.option(DhcpPacket.OPT_IPXE_ENCAP)).isPresent();
        assertThat(discover.encode().remaining()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void findsTheFirstItemOfDnsmasqsBootMenu() {
        // Option 43 of a dnsmasq proxy offer to a BIOS client: discovery control 3, boot server
        // 0x8000 at 10.99.0.2, menu item 0x8000 "iPXE (bios)", prompt with timeout 0.
        byte[] vendor = HexFormat.of()
                .parseHex("06010308078000010a630002090e80000b69505845202862696f73290a1d00436c757374657220506c6174666f"
                        + "726d2050726f766973696f6e6572ff");
        DhcpPacket discover = DhcpPacket.pxeDiscover(1, MAC, DhcpPacket.ARCH_BIOS, false);
        java.util.Map<Integer, byte[]> options = new java.util.HashMap<>(discover.options());
        options.put(DhcpPacket.OPT_VENDOR_SPECIFIC, vendor);
        DhcpPacket offer = new DhcpPacket(
                DhcpPacket.BOOTREPLY,
                1,
                0,
                discover.ciaddr(),
                discover.yiaddr(),
                discover.siaddr(),
                discover.giaddr(),
                MAC,
                "",
                "",
                options);

        assertThat(DhcpPacket.parse(offer.encode()).firstMenuItem()).contains(0x8000);
        assertThat(discover.firstMenuItem()).isEmpty();
    }

    @Test
    void refusesWhatIsNotDhcp() {
        assertThatThrownBy(() -> DhcpPacket.parse(ByteBuffer.allocate(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> DhcpPacket.parse(ByteBuffer.allocate(300))).hasMessageContaining("magic cookie");
    }
}
