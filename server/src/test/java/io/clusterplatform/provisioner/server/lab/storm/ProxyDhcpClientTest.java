package io.clusterplatform.provisioner.server.lab.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The storm's DHCP client against real dnsmasq in proxy mode, in a lab (needs root, as the lab does). */
class ProxyDhcpClientTest {
    @Test
    void firmwareGetsItsBootFileAndIpxeItsScriptUrlFromTheProxy() throws Exception {
        try (Lab lab = Lab.start()) {
            Path tftp = Files.createDirectories(lab.directory().resolve("tftp"));
            String script = "http://" + lab.routerAddress() + ":8080/boot/script.ipxe";
            ReferenceDnsmasq.start(
                    lab,
                    lab.distributorNamespace(),
                    "proxy",
                    lab.directory(),
                    ReferenceDnsmasq.config("eth0", lab.routerAddress(), tftp, "bios/x.kpxe", "uefi/x.efi", script));
            String hosts = StormLab.addHostsNamespace(lab);
            String ip = lab.subnet() + ".3";

            Shell.Result bios = StormLab.hosts(lab, hosts, "dhcp", "02:00:00:00:00:01", ip, "0", "false");
            Shell.Result efi = StormLab.hosts(lab, hosts, "dhcp", "02:00:00:00:00:02", ip, "7", "false");
            Shell.Result ipxe = StormLab.hosts(lab, hosts, "dhcp", "02:00:00:00:00:03", ip, "7", "true");

            // BIOS firmware is offered a boot menu (option 43) and picks its first item at port 4011.
            assertThat(bios.stdout()).as(bios.toString()).contains("menu=32768");
            assertThat(bios.stdout()).contains("ACK file=bios/x.kpxe next=" + lab.distributorAddress());
            assertThat(efi.stdout())
                    .as(efi.toString())
                    .contains("ACK file=uefi/x.efi next=" + lab.distributorAddress());
            assertThat(ipxe.stdout()).as(ipxe.toString()).contains("ACK file=" + script);
        }
    }
}
