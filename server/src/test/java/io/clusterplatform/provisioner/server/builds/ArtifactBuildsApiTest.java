package io.clusterplatform.provisioner.server.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builders over real HTTP: queued at once, progress, files with sha256 and working downloads. */
class ArtifactBuildsApiTest extends ServerIntegrationTest {

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void assertDownloadMatches(JsonNode file) throws Exception {
        var response = api.send(
                api.builder(file.get("url").asText().replaceFirst("^http://[^/]+", ""))
                        .GET(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(file.get("size").asInt());
        assertThat(sha256(response.body())).isEqualTo(file.get("sha256").asText());
    }

    @Test
    void syslinuxFragmentIsCopiedFromTheSystem() throws Exception {
        JsonNode queued = Builds.queue(api, "syslinuxs", Map.of("fragment", "isolinux.bin"));
        assertThat(queued.get("fragment").asText()).isEqualTo("isolinux.bin");
        JsonNode done = Builds.awaitDone(api, "syslinuxs", queued.get("id").asLong());
        JsonNode file = Builds.file(done, "isolinux.bin");
        String systemSha =
                Shell.bash("sha256sum /usr/lib/ISOLINUX/isolinux.bin").stdout().split(" ")[0];
        assertThat(file.get("sha256").asText()).isEqualTo(systemSha);
        assertThat(done.get("url").asText())
                .endsWith("/syslinuxs/" + done.get("uuid").asText() + "/isolinux.bin");
        assertDownloadMatches(file);
    }

    @Test
    void unknownSyslinuxFragmentIsA404NamingTheKnownOnes() {
        Api.Response response = api.asOperator().post("/api/syslinuxs", Json.body(Map.of("fragment", "pxelinux.0")));
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("detail").asText()).contains("ldlinux.c32", "isolinux.bin", "isohdpfx.bin");
    }

    @Test
    void efiIpxeGetsItsScriptAndABootableImage() throws Exception {
        String script = "#!ipxe\ndhcp\nchain http://192.0.2.1/api/mainscripts/1";
        JsonNode queued = Builds.queue(api, "ipxes", Builds.ipxe(script, "bin-x86_64-efi", "efi"));
        JsonNode done = Builds.awaitDone(api, "ipxes", queued.get("id").asLong());
        assertThat(done.get("url").asText()).endsWith("/ipxe.efi");
        assertDownloadMatches(Builds.file(done, "ipxe.efi"));
        assertDownloadMatches(Builds.file(done, "ipxe.img"));
        String served = api.get(
                        Builds.file(done, "script.ipxe").get("url").asText().replaceFirst("^http://[^/]+", ""))
                .body();
        assertThat(served).isEqualTo("#!ipxe\ndhcp\nchain http://192.0.2.1/api/mainscripts/1\n");
        String forProxyDhcp = api.get(
                        Builds.file(done, "proxydhcp.ipxe").get("url").asText().replaceFirst("^http://[^/]+", ""))
                .body();
        assertThat(forProxyDhcp).isEqualTo("#!ipxe\nisset ${ip} || dhcp\nchain http://192.0.2.1/api/mainscripts/1\n");
    }

    @Test
    void biosIpxesAreBuiltForKpxeAndLkrn() {
        for (Map<String, Object> target : List.of(
                Builds.ipxe("#!ipxe\nshell", "bin-x86_64-pcbios", "kpxe"),
                Builds.ipxe("#!ipxe\nshell", "bin", "lkrn"))) {
            JsonNode queued = Builds.queue(api, "ipxes", target);
            JsonNode done = Builds.awaitDone(api, "ipxes", queued.get("id").asLong());
            assertThat(done.get("files")).hasSize(target.get("extension").equals("kpxe") ? 3 : 2);
        }
    }

    @Test
    void unsupportedIpxeCombinationNamesTheSupportedOnes() {
        Api.Response response =
                api.asOperator().post("/api/ipxes", Json.body(Builds.ipxe("#!ipxe", "bin-i386-efi", "efi")));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText())
                .contains("bin-x86_64-efi", "bin-x86_64-pcbios", "bin-arm64-efi");
        Api.Response noMagic = api.asOperator().post("/api/ipxes", Json.body(Builds.ipxe("dhcp", "bin", "lkrn")));
        assertThat(noMagic.json().get("detail").asText()).contains("#!ipxe");
    }

    @Test
    void grubImageAndZipAreBuilt() {
        JsonNode img = Builds.queue(api, "grubs", Builds.grub("Cluster Platform Provisioner ISO", "x64", "img"));
        JsonNode zip = Builds.queue(api, "grubs", Builds.grub("Cluster Platform Provisioner ISO", "x86", "efi"));
        assertThat(Builds.awaitDone(api, "grubs", img.get("id").asLong())
                        .get("url")
                        .asText())
                .endsWith("/grub.img");
        assertThat(Builds.awaitDone(api, "grubs", zip.get("id").asLong())
                        .get("url")
                        .asText())
                .endsWith("/grub.zip");
    }

    @Test
    void isoFromLabelAndScriptIsOneCall() throws Exception {
        JsonNode queued = Builds.queue(api, "isos", Map.of("label", "CPP ONE CALL", "script", "#!ipxe\nshell"));
        JsonNode done = Builds.awaitDone(api, "isos", queued.get("id").asLong());
        JsonNode iso = Builds.file(done, "dist.iso");
        assertThat(iso.get("size").asLong()).isGreaterThan(1024 * 1024);
        assertDownloadMatches(iso);
    }

    @Test
    void badIsoRequestsAreRefusedWithoutQueueing() {
        assertThat(api.asOperator()
                        .post("/api/isos", Json.body(Map.of("script", "#!ipxe")))
                        .json()
                        .get("detail")
                        .asText())
                .contains("label");
        assertThat(api.asOperator()
                        .post("/api/isos", Json.body(Map.of("label", "X")))
                        .json()
                        .get("detail")
                        .asText())
                .contains("'script', a 'mainscriptId'");
        assertThat(api.asOperator()
                        .post("/api/isos", Json.body(Map.of("label", "X", "mainscriptId", 987654)))
                        .json()
                        .get("detail")
                        .asText())
                .contains("mainscript 987654 does not exist");
        assertThat(api.asOperator()
                        .post(
                                "/api/isos",
                                Json.body(Map.of("label", "X", "script", "#!ipxe", "ipxeUefiUrl", "ftp://x/y")))
                        .json()
                        .get("detail")
                        .asText())
                .contains("'ipxeUefiUrl' must be an http or https URL");
        assertThat(api.asOperator()
                        .post("/api/isos", Json.body(Map.of("label", "L".repeat(33), "script", "#!ipxe")))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void buildsNeedATokenButDownloadsDoNot() throws Exception {
        assertThat(api.post("/api/syslinuxs", Json.body(Map.of("fragment", "ldlinux.c32")))
                        .status())
                .isEqualTo(401);
        assertThat(api.get("/api/isos").status()).isEqualTo(401);
        JsonNode done = Builds.awaitDone(
                api,
                "syslinuxs",
                Builds.queue(api, "syslinuxs", Map.of("fragment", "ldlinux.c32"))
                        .get("id")
                        .asLong());
        assertThat(api.get(Builds.file(done, "ldlinux.c32").get("url").asText().replaceFirst("^http://[^/]+", ""))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void deletingABuildRemovesItsFiles() {
        JsonNode done = Builds.awaitDone(
                api,
                "syslinuxs",
                Builds.queue(api, "syslinuxs", Map.of("fragment", "isohdpfx.bin"))
                        .get("id")
                        .asLong());
        String path = Builds.file(done, "isohdpfx.bin").get("url").asText().replaceFirst("^http://[^/]+", "");
        assertThat(api.asOperator()
                        .delete("/api/syslinuxs/" + done.get("id").asLong())
                        .status())
                .isEqualTo(204);
        assertThat(api.get(path).status()).isEqualTo(404);
        assertThat(api.asOperator()
                        .get("/api/syslinuxs/" + done.get("id").asLong())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void isoFromAMainscriptIdChainsThatMainscriptOnThisServer() {
        long mainscript = api.asOperator()
                .post("/api/mainscripts", Json.body(Map.of("text", "#!ipxe\nshell")))
                .json()
                .get("id")
                .asLong();
        JsonNode queued = Builds.queue(api, "isos", Map.of("label", "CPP MAIN", "mainscriptId", mainscript));
        assertThat(queued.get("script").asText())
                .isEqualTo("#!ipxe\ndhcp\nchain " + api.base() + "/api/mainscripts/" + mainscript + "\n");
        JsonNode done = Builds.awaitDone(api, "isos", queued.get("id").asLong());
        assertThat(Builds.file(done, "dist.iso").get("sha256").asText()).hasSize(64);
    }
}
