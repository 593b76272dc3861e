package io.clusterplatform.provisioner.server.ipxes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.builds.Builds;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code {{server}}} in the script of {@code POST /api/ipxes} becomes this server's URL in the built files. */
class IpxeScriptPlaceholderTest extends ServerIntegrationTest {
    private static final String SCRIPT = "#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/1";

    private String server() {
        return api.base().toString();
    }

    private String download(JsonNode build, String name) {
        return api.get(Builds.file(build, name).get("url").asText().replaceFirst("^http://[^/]+", ""))
                .body();
    }

    @Test
    void theBuiltScriptNamesThisServer() {
        JsonNode queued = Builds.queue(api, "ipxes", Builds.ipxe(SCRIPT, "bin-x86_64-pcbios", "kpxe"));
        JsonNode done = Builds.awaitDone(api, "ipxes", queued.get("id").asLong());

        assertThat(download(done, "script.ipxe"))
                .isEqualTo("#!ipxe\ndhcp\nchain " + server() + "/api/mainscripts/1\n")
                .doesNotContain("{{server}}");
        assertThat(done.get("script").asText())
                .as("the request is shown as written")
                .isEqualTo("#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/1");
        assertThat(done.get("serverUrl").asText()).isEqualTo(server());
    }

    @Test
    void theEfiImageRunsTheFilledScriptToo() throws Exception {
        JsonNode queued = Builds.queue(
                api,
                "ipxes",
                Json.with(Builds.ipxe(SCRIPT, "bin-x86_64-efi", "efi"), "serverUrl", "http://forged.example"));
        JsonNode done = Builds.awaitDone(api, "ipxes", queued.get("id").asLong());
        assertThat(download(done, "script.ipxe")).contains("chain " + server() + "/api/mainscripts/1");

        try (ThrowawayDirectory dir = ThrowawayDirectory.create("ipxe-img-")) {
            Path image = dir.path().resolve("ipxe.img");
            HttpResponse<Path> response = api.send(
                    api.builder(Builds.file(done, "ipxe.img")
                                    .get("url")
                                    .asText()
                                    .replaceFirst("^http://[^/]+", ""))
                            .GET(),
                    HttpResponse.BodyHandlers.ofFile(image));
            assertThat(response.statusCode()).isEqualTo(200);
            Shell.Result autoexec = Shell.bash("mtype -i " + image + " ::/autoexec.ipxe");
            assertThat(autoexec.exitCode()).as(autoexec.stderr()).isZero();
            assertThat(autoexec.stdout())
                    .as("the caller cannot choose the URL")
                    .contains("chain " + server() + "/api/mainscripts/1")
                    .doesNotContain("forged");
        }
    }
}
