package io.clusterplatform.provisioner.server.isos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.builds.Builds;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The script an ISO embeds names this server where its source wrote {@code {{server}}}. */
class IsoScriptPlaceholderTest extends ServerIntegrationTest {
    private static final String SCRIPT = "#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/1";

    private String server() {
        return api.base().toString();
    }

    private static String path(String url) {
        return url.replaceFirst("^http://[^/]+", "");
    }

    /** The ISO's {@code /ipxe/script.ipxe}, which BIOS hosts get as initrd of ipxe.lkrn. */
    private String embeddedScript(JsonNode iso) throws IOException {
        try (ThrowawayDirectory dir = ThrowawayDirectory.create("iso-script-")) {
            Path image = dir.path().resolve("dist.iso");
            HttpResponse<Path> response = api.send(
                    api.builder(path(Builds.file(iso, "dist.iso").get("url").asText()))
                            .GET(),
                    HttpResponse.BodyHandlers.ofFile(image));
            assertThat(response.statusCode()).isEqualTo(200);
            Path script = dir.path().resolve("script.ipxe");
            Shell.Result extracted =
                    Shell.bash("xorriso -osirrox on -indev " + image + " -extract /ipxe/script.ipxe " + script);
            assertThat(extracted.exitCode()).as(extracted.stderr()).isZero();
            return Files.readString(script, StandardCharsets.UTF_8);
        }
    }

    @Test
    void theScriptGivenToAnIsoNamesThisServer() throws IOException {
        JsonNode queued = Builds.queue(api, "isos", Map.of("label", "CPP SERVER", "script", SCRIPT));
        JsonNode done = Builds.awaitDone(api, "isos", queued.get("id").asLong());

        assertThat(embeddedScript(done)).isEqualTo("#!ipxe\ndhcp\nchain " + server() + "/api/mainscripts/1\n");
        assertThat(done.get("script").asText()).isEqualTo("#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/1");
    }

    @Test
    void theScriptTakenFromAnIpxeBuildNamesThisServer() throws IOException {
        String efi = Builds.awaitDone(
                        api,
                        "ipxes",
                        Builds.queue(api, "ipxes", Builds.ipxe(SCRIPT, "bin-x86_64-efi", "efi"))
                                .get("id")
                                .asLong())
                .get("url")
                .asText();

        JsonNode queued = Builds.queue(api, "isos", Map.of("label", "CPP FRAGMENTS", "ipxeUefiUrl", efi));
        JsonNode done = Builds.awaitDone(api, "isos", queued.get("id").asLong());

        assertThat(embeddedScript(done)).isEqualTo("#!ipxe\ndhcp\nchain " + server() + "/api/mainscripts/1\n");
    }
}
