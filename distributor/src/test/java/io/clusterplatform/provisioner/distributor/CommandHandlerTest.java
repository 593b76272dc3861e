package io.clusterplatform.provisioner.distributor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.clusterplatform.provisioner.core.distributors.protocol.CommandResult;
import io.clusterplatform.provisioner.core.distributors.protocol.DnsmasqConfigReport;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import io.clusterplatform.provisioner.distributor.link.StateFile;
import io.clusterplatform.provisioner.distributor.pxe.BootLogParser;
import io.clusterplatform.provisioner.distributor.pxe.BootloaderDownloads;
import io.clusterplatform.provisioner.distributor.pxe.DnsmasqService;
import io.clusterplatform.provisioner.distributor.pxe.EventOutbox;
import io.clusterplatform.provisioner.distributor.runs.ScriptRunner;
import io.clusterplatform.provisioner.distributor.runs.SshNodeShell;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands applied with a real dnsmasq (in a namespace of the test's own, on its {@code lo}, which the
 * agent's checks find on this machine too) and bootloaders from a real HTTP server.
 */
class CommandHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KPXE = "pretend ipxe.kpxe".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private TestNamespace ns;
    private HttpServer http;
    private DnsmasqService pxe;
    private CommandHandler handler;

    @BeforeEach
    void setUp() throws Exception {
        ns = TestNamespace.create();
        TestNamespace.openForDnsmasq(dir);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/ipxes/", exchange -> {
            exchange.sendResponseHeaders(200, KPXE.length);
            exchange.getResponseBody().write(KPXE);
            exchange.close();
        });
        http.start();
        handler = handler();
    }

    @AfterEach
    void tearDown() {
        pxe.close();
        http.stop(0);
        ns.close();
    }

    @Test
    void updateThenOnServesPxeAndTheResultShowsTheConfiguration() throws Exception {
        CommandResult update = handler.apply(1, command(1, "update", settings("lo", "127.0.0.1")));
        assertThat(update.ok()).as(update.error()).isTrue();
        assertThat(update.output())
                .contains("bios/ipxe.kpxe: downloaded " + KPXE.length + " bytes")
                .contains("verified against the server's checksum")
                .contains("pxe-service=tag:!ipxe,x86PC,\"iPXE (bios)\",bios/ipxe.kpxe")
                .contains("pxe-service=tag:ipxe,x86PC,\"iPXE script\",http://127.0.0.1:1/ipxes/c/script.ipxe")
                .contains("the PXE service is off");
        assertThat(update.dnsmasqConfig().file())
                .isEqualTo(dir.resolve("dnsmasq.conf").toString());
        assertThat(update.dnsmasqConfig().text())
                .isEqualTo(Files.readString(dir.resolve("dnsmasq.conf")))
                .contains("pxe-service=tag:!ipxe,x86PC,\"iPXE (bios)\",bios/ipxe.kpxe");
        assertThat(DnsmasqConfigReport.readFrom(update.output())).contains(update.dnsmasqConfig());
        assertThat(pxe.running()).isFalse();

        CommandResult on =
                handler.apply(1, command(2, "status", JSON.createObjectNode().put("on", true)));

        assertThat(on.ok()).as(on.error()).isTrue();
        assertThat(on.output()).startsWith("dnsmasq started").contains("dhcp-range=127.0.0.1,proxy");
        assertThat(pxe.running()).isTrue();
    }

    @Test
    void anUpdateWithAnEfiScriptWritesTheAutoexecThatChainsItAndOneWithoutRemovesIt() throws Exception {
        ObjectNode withEfi = settings("lo", "127.0.0.1")
                .put("ipxePxeUefiUrl", base() + "/ipxes/e/ipxe.efi")
                .put("ipxePxeUefiScriptUrl", "http://127.0.0.1:1/ipxes/e/proxydhcp.ipxe");
        Path autoexec = dir.resolve("tftp/autoexec.ipxe");

        CommandResult update = handler.apply(1, command(1, "update", withEfi));

        assertThat(update.ok()).as(update.error()).isTrue();
        assertThat(update.output()).contains("autoexec.ipxe: iPXE EFI binaries run it");
        assertThat(Files.readString(autoexec))
                .startsWith("#!ipxe\n")
                .contains("chain --autofree http://127.0.0.1:1/ipxes/e/proxydhcp.ipxe\n")
                .doesNotContain("ipxes/c/");

        CommandResult biosOnly = handler.apply(1, command(2, "update", settings("lo", "127.0.0.1")));

        assertThat(biosOnly.ok()).as(biosOnly.error()).isTrue();
        assertThat(autoexec).doesNotExist();
    }

    @Test
    void everyCommandCanComeTwice() throws Exception {
        JsonNode settings = settings("lo", "127.0.0.1");
        handler.apply(1, command(1, "update", settings));
        handler.apply(1, command(2, "status", JSON.createObjectNode().put("on", true)));

        CommandResult again = handler.apply(1, command(1, "update", settings));
        CommandResult onAgain =
                handler.apply(1, command(2, "status", JSON.createObjectNode().put("on", true)));

        assertThat(again.output()).contains("already present").contains("already running");
        assertThat(onAgain.output()).contains("already running");
    }

    @Test
    void aRestartedAgentServesAgainFromItsSavedState() throws Exception {
        handler.apply(1, command(1, "update", settings("lo", "127.0.0.1")));
        handler.apply(1, command(2, "status", JSON.createObjectNode().put("on", true)));
        pxe.close();

        CommandHandler restarted = handler();
        restarted.resume();

        assertThat(pxe.running()).isTrue();
        restarted.apply(1, command(3, "status", JSON.createObjectNode().put("on", false)));
        assertThat(pxe.running()).isFalse();
        handler().resume();
        assertThat(pxe.running()).isFalse();
    }

    @Test
    void badSettingsFailTheCommandWithAClearErrorAndChangeNothing() throws Exception {
        CommandResult noDevice = handler.apply(1, command(1, "update", settings("nosuch0", "127.0.0.1")));
        CommandResult badRange = handler.apply(1, command(2, "update", settings("lo", "192.168.178.1")));
        ObjectNode badUrl = settings("lo", "127.0.0.1");
        badUrl.put("ipxePxeBiosUrl", base() + "/nothing/ipxe.kpxe").remove("ipxePxeBiosSha256");
        CommandResult missing = handler.apply(1, command(3, "update", badUrl));
        CommandResult onWithoutSettings =
                handler.apply(1, command(4, "status", JSON.createObjectNode().put("on", true)));
        CommandResult unknown = handler.apply(1, command(5, "reboot", JSON.createObjectNode()));

        assertThat(noDevice.error()).contains("device 'nosuch0' does not exist on this distributor");
        assertThat(badRange.error()).contains("range '192.168.178.1' is not in a subnet of device 'lo'");
        assertThat(missing.error())
                .contains("cannot download ipxePxeBiosUrl " + base() + "/nothing/ipxe.kpxe: HTTP 404");
        assertThat(onWithoutSettings.error()).contains("this distributor has no settings yet");
        assertThat(unknown.error()).contains("does not know the command 'reboot'");
        assertThat(dir.resolve("dnsmasq.conf")).doesNotExist();
        assertThat(pxe.running()).isFalse();
    }

    private CommandHandler handler() throws Exception {
        if (pxe != null) {
            pxe.close();
        }
        pxe = new DnsmasqService(
                ns.wrap(dir, "dnsmasq").toString(),
                dir,
                new EventOutbox(
                        new BootLogParser(dir.resolve("tftp"), ip -> java.util.Optional.empty()),
                        java.time.Clock.systemUTC()));
        ServerLink link = new ServerLink(URI.create(base()), "unused", JSON);
        return new CommandHandler(
                dir,
                new StateFile(dir.resolve("state.json"), JSON),
                new BootloaderDownloads(dir.resolve("tftp"), link),
                pxe,
                new ScriptRunner(link, new SshNodeShell()));
    }

    private ObjectNode settings(String device, String range) throws Exception {
        return JSON.createObjectNode()
                .put("ipxePxeBiosUrl", base() + "/ipxes/c/ipxe.kpxe")
                .put(
                        "ipxePxeBiosSha256",
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(KPXE)))
                .put("ipxePxeBiosScriptUrl", "http://127.0.0.1:1/ipxes/c/script.ipxe")
                .put("artifactId", "lab")
                .put("device", device)
                .put("range", range);
    }

    private static ServerLink.Command command(long id, String kind, JsonNode payload) {
        return new ServerLink.Command(id, kind, payload);
    }

    private String base() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }
}
