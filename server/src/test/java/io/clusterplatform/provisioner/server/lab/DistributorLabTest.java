package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.QemuHost;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The distributor end to end, in network namespaces with qemu hosts under software emulation: our
 * agent, in the distributor namespace, connects out to the server, takes the original API's update and status
 * commands, and its dnsmasq (proxyDHCP next to the router's ordinary DHCP server, TFTP) boots a BIOS host
 * (e1000 with qemu's iPXE ROM) and a UEFI host (OVMF's own PXE on virtio-net, fetching our ipxe.efi over
 * TFTP) through mainscript, subscript, kernel and initramfs from boot assets into the test OS, whose
 * postbootscript registers it as a localnode.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributorLabTest {
    private static PxeSite site;

    @BeforeAll
    static void site() throws Exception {
        site = PxeSite.start();
        site.prepareBootChain();
        site.startAgent();
    }

    @AfterAll
    static void tearDown() {
        if (site != null) {
            site.close();
        }
    }

    private static void configure() {
        JsonNode update = site.awaitCommand(
                site.update(site.lab.distributorInterface(), site.lab.routerAddress(), site.biosUrl, site.uefiUrl));
        assertThat(update.get("status").asText()).as(update.toString()).isEqualTo("done");
        JsonNode on = site.awaitCommand(site.status(true));
        assertThat(on.get("status").asText()).as(on.toString()).isEqualTo("done");
    }

    @Test
    @Order(1)
    void badDeviceRangeOrUrlFailTheCommandWithAClearError() {
        Lab lab = site.lab;
        JsonNode device = site.awaitCommand(site.update("eth9", lab.routerAddress(), site.biosUrl, site.uefiUrl));
        JsonNode range = site.awaitCommand(site.update("eth0", "192.168.178.1", site.biosUrl, site.uefiUrl));
        String missing = site.serverUrl + "/assets/no-such-ipxe.kpxe";
        JsonNode url = site.awaitCommand(site.update("eth0", lab.routerAddress(), missing, site.uefiUrl));

        assertThat(device.get("status").asText()).isEqualTo("failed");
        assertThat(device.get("error").asText()).contains("device 'eth9' does not exist on this distributor; it has:");
        assertThat(range.get("status").asText()).isEqualTo("failed");
        assertThat(range.get("error").asText())
                .contains("range '192.168.178.1' is not in a subnet of device 'eth0' (" + lab.distributorAddress()
                        + "/24)");
        assertThat(url.get("status").asText()).isEqualTo("failed");
        assertThat(url.get("error").asText()).contains("cannot download ipxePxeBiosUrl " + missing + ": HTTP 404");
    }

    @Test
    @Order(2)
    void biosAndUefiHostsPxeBootThroughTheDistributorAndRegisterThemselves() {
        site.servePxe();
        JsonNode commands = site.api()
                .get("/api/distributors/" + site.distributorId + "/commands")
                .json();
        assertThat(commands.toString())
                .contains("dhcp-range=" + site.lab.routerAddress() + ",proxy")
                .contains("verified against the server's checksum");

        long started = System.nanoTime();
        Lab.Host bios = site.lab.bootHost(QemuHost.Firmware.BIOS);
        Lab.Host uefi = site.lab.bootHost(QemuHost.Firmware.UEFI);

        for (Lab.Host host : List.of(bios, uefi)) {
            JsonNode node = awaitRegistration(host);
            System.out.printf(
                    "PXE boot through the distributor: %s host registered %.1f s after power-on (both hosts at once)%n",
                    host == bios ? "BIOS" : "UEFI", (System.nanoTime() - started) / 1e9);
            assertThat(node.get("artifactId").asText()).isEqualTo(PxeSite.ARTIFACT_ID);
            // pingable follows the distributor's liveness checks now, and this test OS powers off once registered.
        }
        awaitEvents(bios.mac(), "dhcp", null);
        awaitEvents(uefi.mac(), "dhcp", null);
        JsonNode tftp = awaitEvents(uefi.mac(), "tftp", "uefi/ipxe.efi");
        assertThat(tftp.get("message").asText()).contains("sent ").contains("uefi/ipxe.efi");
        assertThat(site.events(bios.mac()))
                .anySatisfy(e -> assertThat(e.path("file").asText()).endsWith("/proxydhcp.ipxe"));
    }

    @Test
    @Order(3)
    void theAgentComesBackAfterTheServerRestartsAndPxeKeepsWorkingMeanwhile() throws Exception {
        site.servePxe();
        long dnsmasq = site.dnsmasqPid();

        site.killServer();
        Lab.Host host = site.lab.bootHost(QemuHost.Firmware.UEFI);
        // With the server down, the firmware still gets its proxy offer and ipxe.efi from the distributor.
        Awaitility.await("the distributor to serve ipxe.efi while the server is down")
                .atMost(Timeouts.scaled(Duration.ofMinutes(3)))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> site.agent().output().contains("sent ")
                        && site.agent().output().contains(host.mac()));
        assertThat(site.agent().output()).contains("connecting again in");
        assertThat(site.dnsmasqPid()).isEqualTo(dnsmasq);

        site.startServer();

        site.awaitDistributor();
        JsonNode off = site.awaitCommand(site.status(false));
        assertThat(off.get("status").asText()).as(off.toString()).isEqualTo("done");
        assertThat(awaitEvents(host.mac(), "tftp", "uefi/ipxe.efi")
                        .get("message")
                        .asText())
                .contains("sent");
    }

    private static JsonNode awaitRegistration(Lab.Host host) {
        AtomicReference<JsonNode> node = new AtomicReference<>();
        try {
            Awaitility.await("host " + host.mac() + " to register")
                    .atMost(Timeouts.scaled(Duration.ofMinutes(5)))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (!host.qemu().isRunning() && node.get() == null) {
                            Optional<String> ip = site.lab.leasedAddress(host.mac());
                            Optional<JsonNode> found = ip.flatMap(site::localnode);
                            if (found.isEmpty()) {
                                throw new AssertionError(
                                        "host " + host.mac() + " stopped without registering; " + diagnostics(host));
                            }
                        }
                        Optional<JsonNode> found =
                                site.lab.leasedAddress(host.mac()).flatMap(site::localnode);
                        found.ifPresent(node::set);
                        return found.isPresent();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("host " + host.mac() + " did not register; " + diagnostics(host), e);
        }
        return node.get();
    }

    private static JsonNode awaitEvents(String mac, String kind, String file) {
        AtomicReference<JsonNode> event = new AtomicReference<>();
        Awaitility.await(kind + " event for " + mac + (file == null ? "" : " of " + file))
                .atMost(Timeouts.scaled(Duration.ofMinutes(1)))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (JsonNode e : site.events(mac)) {
                        if (e.get("kind").asText().equals(kind)
                                && (file == null || file.equals(e.path("file").asText()))) {
                            event.set(e);
                            return true;
                        }
                    }
                    return false;
                });
        return event.get();
    }

    private static String diagnostics(Lab.Host host) {
        return "console: " + host.qemu().output() + "\nagent: " + site.agent().output();
    }
}
