package io.clusterplatform.provisioner.server.assets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.Shell;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Boot assets for air-gapped sites: uploaded by operators, fetched by hosts under stable URLs. */
class BootAssetsApiTest extends ServerIntegrationTest {

    private Api.Response upload(String name, byte[] bytes) {
        return api.asOperator()
                .send(api.asOperator()
                        .builder("/api/assets/" + name)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    @Test
    void uploadsLargerThanTheApiBodyLimitAndServesThemWithRanges() throws Exception {
        String name = "vmlinuz-" + UUID.randomUUID();
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(bytes);
        Api.Response created = upload(name, bytes);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode asset = created.json();
        assertThat(asset.get("size").asLong()).isEqualTo(bytes.length);
        assertThat(asset.get("url").asText()).isEqualTo(api.base() + "/assets/" + name);

        try (ThrowawayDirectory dir = ThrowawayDirectory.create("provisioner-asset-")) {
            Path file = dir.path().resolve(name);
            Files.write(file, bytes);
            String sha = Shell.bash("sha256sum " + file).stdout().split(" ")[0];
            assertThat(asset.get("sha256").asText()).isEqualTo(sha);
            Shell.Result head = Shell.bash("curl -sS -r 0-99 -o " + dir.path().resolve("part") + " -w '%{http_code}' "
                    + asset.get("url").asText());
            assertThat(head.stdout()).isEqualTo("206");
            assertThat(Files.readAllBytes(dir.path().resolve("part")))
                    .containsExactly(java.util.Arrays.copyOf(bytes, 100));
        }
        HttpResponse<byte[]> whole =
                api.send(api.builder("/assets/" + name).GET(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("ETag"))
                .contains("\"" + asset.get("sha256").asText() + "\"");
        assertThat(whole.body()).isEqualTo(bytes);
    }

    @Test
    void reuploadReplacesTheAssetAndListShowsIt() {
        String name = "initrd-" + UUID.randomUUID() + ".img";
        upload(name, "one".getBytes());
        assertThat(api.get("/assets/" + name).body()).isEqualTo("one"); // now held in memory by the lean path
        // the same size: only the catalog's entry (its SHA-256, the ETag) tells the versions apart
        String sha256 = upload(name, "two".getBytes()).json().get("sha256").asText();
        Api.Response two = api.get("/assets/" + name);
        assertThat(two.body()).isEqualTo("two");
        assertThat(two.raw().headers().firstValue("ETag")).contains("\"" + sha256 + "\"");
        upload(name, "second version".getBytes());
        assertThat(api.get("/assets/" + name).body()).isEqualTo("second version");
        JsonNode listed = null;
        for (JsonNode asset : api.asOperator().get("/api/assets").json()) {
            if (asset.get("name").asText().equals(name)) {
                listed = asset;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("size").asLong()).isEqualTo(14);
    }

    @Test
    void uploadingNeedsATokenDownloadingDoesNot() {
        String name = "asset-" + UUID.randomUUID();
        Api.Response anonymous =
                api.send(api.builder("/api/assets/" + name).PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(anonymous.status()).isEqualTo(401);
        upload(name, "x".getBytes());
        assertThat(api.get("/assets/" + name).status()).isEqualTo(200);
    }

    @Test
    void badNamesEmptyBodiesAndUnknownAssetsAreProblems() {
        assertThat(upload(".hidden", "x".getBytes()).status()).isEqualTo(400);
        Api.Response empty = upload("empty-" + UUID.randomUUID(), new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("detail").asText()).contains("is empty");
        Api.Response missing = api.get("/assets/nothing-" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.isProblem()).isTrue();
        String name = "gone-" + UUID.randomUUID();
        upload(name, "x".getBytes());
        assertThat(api.get("/assets/" + name).body()).isEqualTo("x");
        assertThat(api.asOperator().delete("/api/assets/" + name).status()).isEqualTo(204);
        assertThat(api.get("/assets/" + name).status()).isEqualTo(404);
    }
}
