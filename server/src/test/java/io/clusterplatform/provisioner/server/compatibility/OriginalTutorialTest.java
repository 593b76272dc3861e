package io.clusterplatform.provisioner.server.compatibility;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Replays the registry requests of the original tutorial with the real curl against a fresh server,
 * in the tutorial's order, changing only host and port and adding the operator token where we require
 * one. Requests that booting hosts make are run without a token.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class OriginalTutorialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = ServerIntegrationTest.OPERATOR_TOKEN;
    private static final OriginalTutorial TUTORIAL = OriginalTutorial.load();
    private static Target server;

    record CurlResult(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /**
     * Where the tutorial's requests go: a fresh server here; {@code ReplicasTest} runs the same
     * requests through a load balancer in front of replicas.
     */
    public interface Target extends AutoCloseable {
        String baseUrl();

        Api api();

        @Override
        void close();
    }

    @BeforeAll
    void startServer() {
        server = start();
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    /** A fresh server: the tutorial's ids start at 1. */
    protected Target start() {
        StandaloneServer fresh = StandaloneServer.startFresh();
        return new Target() {
            @Override
            public String baseUrl() {
                return fresh.baseUrl();
            }

            @Override
            public Api api() {
                return fresh.api();
            }

            @Override
            public void close() {
                fresh.close();
            }
        };
    }

    private static CurlResult run(String title, String token) {
        return run(title, 1, token, java.util.Map.of());
    }

    /**
     * Runs the tutorial's command as written, pointed at our server, with the token (if any) on each curl
     * and the given literal replacements (for URLs the tutorial names by the original's UUIDs).
     */
    private static CurlResult run(
            String title, int occurrence, String token, java.util.Map<String, String> replacements) {
        String command = TUTORIAL.commandFor(title, occurrence, server.baseUrl(), token);
        for (var replacement : replacements.entrySet()) {
            command = command.replace(replacement.getKey(), replacement.getValue());
        }
        Shell.Result result = Shell.bash(command);
        assertThat(result.exitCode())
                .as("curl for '%s' failed: %s", title, result.stderr())
                .isZero();
        String out = result.stdout();
        int cut = out.lastIndexOf('\n');
        return new CurlResult(Integer.parseInt(out.substring(cut + 1).trim()), out.substring(0, cut));
    }

    private static CurlResult asOperator(String title) {
        return run(title, TOKEN);
    }

    private static JsonNode awaitDone(String path) {
        return io.clusterplatform.provisioner.server.builds.Builds.awaitDone(
                server.api(),
                path.substring(0, path.indexOf('/')),
                Long.parseLong(path.substring(path.indexOf('/') + 1)));
    }

    private static CurlResult asBootingHost(String title) {
        return run(title, null);
    }

    @Test
    @Order(0)
    void fixtureHoldsTheOriginalTutorialsCommandsInOrder() {
        assertThat(TUTORIAL.size()).isEqualTo(49);
        assertThat(TUTORIAL.command("Create Mainscript")).startsWith("curl -H").contains("/api/mainscripts");
        assertThat(TUTORIAL.command("Get UEFI iPXE status", 2)).endsWith("/api/ipxes/3'");
    }

    @Test
    @Order(1)
    void createMainscriptAndSubscript() {
        CurlResult main = asOperator("Create Mainscript");
        assertThat(main.status()).isEqualTo(201);
        assertThat(main.json().get("id").asLong()).isEqualTo(1);
        assertThat(main.json().get("text").asText()).startsWith("#!ipxe\nmenu Choose Script\n");

        CurlResult sub = asOperator("Create Subscript");
        assertThat(sub.status()).isEqualTo(201);
        assertThat(sub.json().get("id").asLong()).isEqualTo(1);
        assertThat(sub.json().get("text").asText()).contains("inst.ks=" + server.baseUrl() + "/api/kickstarts/1");
    }

    @Test
    @Order(2)
    void creatingWithoutTokenIsRefusedAndStoresNothing() {
        CurlResult refused = asBootingHost("Create Mainscript");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asText()).contains("Bearer");
        assertThat(server.api()
                        .asOperator()
                        .get("/api/mainscripts")
                        .json()
                        .get("total")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    @Order(3)
    void getNewSshKeyPair() {
        CurlResult pair = asOperator("Get new SSH key pair");
        assertThat(pair.status()).isEqualTo(200);
        assertThat(pair.json().get("publicKey").asText()).startsWith("ecdsa-sha2-nistp256 ");
        assertThat(pair.json().get("privateKey").asText()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    }

    @Test
    @Order(4)
    void addPublicAndPrivateSshKeys() {
        CurlResult publicKey = asOperator("Add public SSH key");
        assertThat(publicKey.status()).isEqualTo(201);
        assertThat(publicKey.json().get("id").asLong()).isEqualTo(1);
        assertThat(publicKey.json().get("private").asBoolean()).isFalse();

        CurlResult privateKey = asOperator("Add private SSH key");
        assertThat(privateKey.status()).isEqualTo(201);
        assertThat(privateKey.json().get("id").asLong()).isEqualTo(2);
        assertThat(privateKey.json().get("private").asBoolean()).isTrue();
        assertThat(privateKey.json().get("artifactId").asText()).isEqualTo("felicitas.pojtinger.swabia.sol");
    }

    @Test
    @Order(5)
    void createKickstartPrebootscriptAndPostbootscript() {
        CurlResult kickstart = asOperator("Create Kickstart");
        assertThat(kickstart.status()).isEqualTo(201);
        assertThat(kickstart.json().get("text").asText()).contains("rootpw --plaintext asdfasdf123$$44");
        assertThat(asOperator("Create Prebootscript").status()).isEqualTo(201);
        CurlResult postboot = asOperator("Create Postbootscript");
        assertThat(postboot.status()).isEqualTo(201);
        assertThat(postboot.json().get("text").asText()).contains("/api/localnodes?ip=${ip}");
    }

    @Test
    @Order(6)
    void bootingHostGetsRawMainscriptAndSubscript() {
        CurlResult main = asBootingHost("Get Mainscript");
        assertThat(main.status()).isEqualTo(200);
        assertThat(main.body())
                .startsWith("#!ipxe\nmenu Choose Script\nitem mainsubscriptserver_fedora29")
                .endsWith("chain " + server.baseUrl() + "/api/subscripts/1");
        CurlResult sub = asBootingHost("Get Subscript");
        assertThat(sub.status()).isEqualTo(200);
        assertThat(sub.body()).startsWith("#!ipxe\nmenu Choose Script\nitem subscript Fedora 29");
    }

    @Test
    @Order(7)
    void publicKeyIsOpenPrivateKeyNeedsToken() {
        CurlResult publicKey = asBootingHost("Get public SSH key");
        assertThat(publicKey.status()).isEqualTo(200);
        assertThat(publicKey.body()).startsWith("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAy");

        CurlResult anonymous = asBootingHost("Get private SSH key");
        assertThat(anonymous.status()).as("the private key without a token").isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("PRIVATE KEY");

        CurlResult operator = asOperator("Get private SSH key");
        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.body()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    }

    @Test
    @Order(8)
    void installerGetsKickstartWithHashedPasswordOperatorGetsItAsStored() {
        CurlResult installer = asBootingHost("Get Kickstart");
        assertThat(installer.status()).isEqualTo(200);
        assertThat(installer.body()).doesNotContain("asdfasdf123$$44");
        assertThat(installer.body())
                .containsPattern("(?m)^rootpw --iscrypted \\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}$");
        assertThat(installer.body()).contains("%pre\ncurl " + server.baseUrl() + "/api/prebootscripts/1 | bash\n%end");

        CurlResult operator = asOperator("Get Kickstart");
        assertThat(operator.body()).contains("rootpw --plaintext asdfasdf123$$44");
    }

    @Test
    @Order(9)
    void bootingHostGetsPreAndPostbootscripts() {
        CurlResult pre = asBootingHost("Get Prebootscript");
        assertThat(pre.status()).isEqualTo(200);
        assertThat(pre.body()).isEqualTo("#!/bin/bash\necho \"This could be the preboot script!\"\n");
        CurlResult post = asBootingHost("Get Postbootscripts");
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.body()).startsWith("#!/bin/bash\nsudo dnf install openssh-server -y\n");
    }

    @Test
    @Order(10)
    void postbootscriptRegistersTheNodeWithItsOwnCurl() {
        String postboot = server.api().get("/api/postbootscripts/1").body();
        Matcher register = Pattern.compile("(?m)^curl --request POST .*$").matcher(postboot);
        assertThat(register.find()).as("the postbootscript's registration line").isTrue();
        String script = "ip=192.0.2.17\n" + register.group() + " -sS -w '\\n%{http_code}'\n";

        Shell.Result first = Shell.bash(script);
        assertThat(first.stdout()).endsWith("\n201");
        assertThat(first.stdout())
                .contains(
                        "\"ip\":\"192.0.2.17\"",
                        "\"artifactId\":\"felicitas.pojtinger.swabia.sol\"",
                        "\"pingable\":true");

        Shell.Result again = Shell.bash(script);
        assertThat(again.stdout())
                .as("registering again updates, never duplicates")
                .endsWith("\n200");
    }

    @Test
    @Order(11)
    void operatorGetsLocalnodes() {
        CurlResult list = asOperator("Get Localnodes");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("total").asLong()).isEqualTo(1);
        assertThat(list.json().get("rows").get(0).get("ip").asText()).isEqualTo("192.0.2.17");

        CurlResult one = asOperator("Get Localnode");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("id").asLong()).isEqualTo(1);
        assertThat(one.json().get("artifactId").asText()).isEqualTo("felicitas.pojtinger.swabia.sol");

        assertThat(asBootingHost("Get Localnodes").status())
                .as("the node list needs a token")
                .isEqualTo(401);
    }

    @Test
    @Order(12)
    void operatorListsUpdatesAndSwitchesTheDistributor() {
        // A distributor registers with an enrollment token the operator created (the original ran it with
        // its artifactId in the environment instead); then the tutorial's own curls.
        String token = server.api()
                .withToken(TOKEN)
                .post("/api/distributors/tokens", "{\"artifactId\":\"felicitas.pojtinger.swabia.sol\"}")
                .json()
                .get("token")
                .asText();
        assertThat(server.api()
                        .withToken(token)
                        .post("/api/distributors/register", "{\"hostname\":\"distributor-1\",\"version\":\"1\"}")
                        .status())
                .isEqualTo(201);

        CurlResult list = asOperator("Get distributors");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("total").asLong()).isEqualTo(1);
        assertThat(list.json().get("rows").get(0).get("id").asLong()).isEqualTo(1);
        assertThat(list.json().get("rows").get(0).get("online").asBoolean()).isTrue();

        CurlResult update = asOperator("Update UEFI and BIOS iPXEs on distributor");
        assertThat(update.status()).as(update.body()).isEqualTo(202);
        assertThat(update.json().get("kind").asText()).isEqualTo("update");
        assertThat(update.json().get("payload").get("device").asText()).isEqualTo("enp0s25");

        CurlResult off = asOperator("Update distributor status to off");
        assertThat(off.status()).as(off.body()).isEqualTo(202);
        assertThat(off.json().get("payload").get("on").asBoolean()).isFalse();
        CurlResult on = asOperator("Update distributor status to on");
        assertThat(on.status()).as(on.body()).isEqualTo(202);
        assertThat(on.json().get("payload").get("on").asBoolean()).isTrue();

        assertThat(asBootingHost("Get distributors").status()).isEqualTo(401);
    }

    @Test
    @Order(20)
    void createNetworkAndMediaBootloaders() {
        String[][] creates = {
            {"Create UEFI iPXE network bootloader for distributor", "ipxes/1", "ipxe.efi"},
            {"Create BIOS iPXE network bootloader for distributor", "ipxes/2", "ipxe.kpxe"},
            {"Create UEFI iPXE network bootloader for ISO", "ipxes/3", "ipxe.efi"},
            {"Create BIOS iPXE network bootloader for ISO", "ipxes/4", "ipxe.lkrn"},
            {"Create GRUB media bootloader IMG for ISO", "grubs/1", "grub.img"},
            {"Create GRUB media bootloader UEFI x64 for ISO", "grubs/2", "grub.zip"},
            {"Create GRUB media bootloader UEFI x86 for ISO", "grubs/3", "grub.zip"},
            {"Create SYSLINUX media bootloader Ldlinux for ISO", "syslinuxs/1", "ldlinux.c32"},
            {"Create SYSLINUX media bootloader IsolinuxBin for ISO", "syslinuxs/2", "isolinux.bin"},
            {"Create SYSLINUX media bootloader IsohdpfxBin for ISO", "syslinuxs/3", "isohdpfx.bin"}
        };
        for (String[] create : creates) {
            CurlResult created = asOperator(create[0]);
            assertThat(created.status()).as(create[0] + ": " + created.body()).isEqualTo(201);
            assertThat(created.json().get("id").asLong())
                    .isEqualTo(Long.parseLong(create[1].split("/")[1]));
            assertThat(created.json().get("progress").asInt()).isBetween(0, 100);
        }
        for (String[] create : creates) {
            assertThat(awaitDone(create[1]).get("url").asText()).as(create[0]).endsWith("/" + create[2]);
        }
        CurlResult list = asOperator("Get UEFI iPXE status");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("total").asLong()).isEqualTo(4);
        CurlResult one = run("Get UEFI iPXE status", 2, TOKEN, java.util.Map.of());
        assertThat(one.json().get("id").asLong()).isEqualTo(3);
        assertThat(one.json().get("progress").asInt())
                .as("the tutorial checks progress 100")
                .isEqualTo(100);
        assertThat(one.json().get("script").asText()).contains("chain " + server.baseUrl() + "/api/mainscripts/1");
        assertThat(asOperator("Get GRUB UEFI x86 status")
                        .json()
                        .get("architecture")
                        .asText())
                .isEqualTo("x86");
        assertThat(asOperator("Get SYSLINUX IsohdpfxBin status")
                        .json()
                        .get("fragment")
                        .asText())
                .isEqualTo("isohdpfx.bin");
    }

    @Test
    @Order(21)
    void createIsoFromTheNineFragmentsAndDownloadIt() throws Exception {
        // The tutorial's URLs name the original's artifacts' UUIDs: a user puts in the URLs of theirs.
        java.util.Map<String, String> urls = new java.util.LinkedHashMap<>();
        String[][] fragments = {
            {"ipxes/1353f0e4-09b9-48b1-a4fb-f45532730c65/ipxe.efi", "ipxes/3"},
            {"ipxes/eff537ee-bf99-48ea-be96-ed9ee08d62b9/ipxe.lkrn", "ipxes/4"},
            {"grubs/c23bee3a-ee2d-4f44-8223-86bed61b7940/grub.img", "grubs/1"},
            {"grubs/e8f68f77-5cb5-4a0a-8d47-fb31a73ea3bc/grub.zip", "grubs/2"},
            {"grubs/da39b0b5-d15c-41e8-ab8a-4cf710cf427d/grub.zip", "grubs/3"},
            {"syslinuxs/83b15488-0ed5-4ee3-8352-5e3cecc87423/ldlinux.c32", "syslinuxs/1"},
            {"syslinuxs/b9771721-53bf-4dcb-a094-1a901a9203b9/isolinux.bin", "syslinuxs/2"},
            {"syslinuxs/dc68e8f5-900c-49ff-a376-e84b7c806056/isohdpfx.bin", "syslinuxs/3"}
        };
        for (String[] fragment : fragments) {
            urls.put(
                    "http://services.provisioner.sandbox.cloud.alphahorizon.io:30003/" + fragment[0],
                    awaitDone(fragment[1]).get("url").asText());
        }
        CurlResult created = run("Create ISO", 1, TOKEN, urls);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("id").asLong()).isEqualTo(1);
        JsonNode done = awaitDone("isos/1");
        assertThat(asOperator("Get ISO status").json().get("status").asText()).isEqualTo("done");

        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("provisioner-original-iso-");
        String isoUrl = done.get("url").asText();
        Shell.Result download = Shell.bash("cd " + dir + " && "
                + TUTORIAL.command("Get ISO").replaceAll("'http://services[^']*dist.iso'", "'" + isoUrl + "'"));
        assertThat(download.exitCode()).as(download.stderr()).isZero();
        java.nio.file.Path iso = dir.resolve("dist.iso");
        assertThat(Shell.bash("sha256sum " + iso).stdout())
                .startsWith(io.clusterplatform.provisioner.server.builds.Builds.file(done, "dist.iso")
                        .get("sha256")
                        .asText());
        assertThat(Shell.bash("xorriso -indev " + iso + " -pvd_info 2>&1").stdout())
                .contains("Volume Id    : Cluster Platform Provisioner ISO");
        Shell.bash("rm -rf " + dir);
    }
}
