package io.clusterplatform.provisioner.server.sshkeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.OriginalSshKeys;
import io.clusterplatform.provisioner.core.testing.SshKeygen;
import io.clusterplatform.provisioner.server.testing.Api.Response;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class SshKeysApiTest extends ServerIntegrationTest {

    /** The body of the original API's "Add public SSH key", byte for byte. */
    static final String ORIGINAL_ADD_PUBLIC_KEY = """
            {
                "text": "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBB69xaEXw3y8PZeV6mjkTfK8X3z/0GlWe5dzuWcccD8fVHFl6W+XZ6qN+a8h0RD6OcFbk1mYTyh8sV2KbyIFNBk= pojntfx@pojntfx-x230-fedora\\n",
                "artifactId": "felicitas.pojtinger.swabia.sol",
                "private": false
            }""";

    /** The body of the original API's "Add private SSH key", byte for byte (its base64 lacks the final '='). */
    static final String ORIGINAL_ADD_PRIVATE_KEY = """
            {
                "text": "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS\\n1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQQevcWhF8N8vD2Xlepo5E3yvF98/9Bp\\nVnuXc7lnHHA/H1RxZelvl2eqjfmvIdEQ+jnBW5NZmE8ofLFdim8iBTQZAAAAuPZWcbr2Vn\\nG6AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBB69xaEXw3y8PZeV\\n6mjkTfK8X3z/0GlWe5dzuWcccD8fVHFl6W+XZ6qN+a8h0RD6OcFbk1mYTyh8sV2KbyIFNB\\nkAAAAhAOUvaCmEoMgsNL6Hl2XliKnMSvVOhXYyQqjGds21VWkKAAAAG3Bvam50ZnhAcG9q\\nbnRmeC14MjMwLWZlZG9yYQECAwQ\\n-----END OPENSSH PRIVATE KEY-----\\n",
                "artifactId": "felicitas.pojtinger.swabia.sol",
                "private": true
            }""";

    private static final String ORIGINAL_ARTIFACT_ID = "felicitas.pojtinger.swabia.sol";

    // --- the original API's requests ---

    @Test
    void originalAddPublicKeyStoresKeyThatHostsFetchWithoutToken() {
        Response created = api.asOperator().post("/api/sshkeys", ORIGINAL_ADD_PUBLIC_KEY);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode key = created.json();
        long id = key.get("id").asLong();
        assertThat(created.raw().headers().firstValue("Location")).contains("/api/sshkeys/" + id);
        assertThat(key.get("private").asBoolean()).isFalse();
        assertThat(key.has("isPrivate")).isFalse();
        assertThat(key.get("artifactId").asText()).isEqualTo(ORIGINAL_ARTIFACT_ID);
        assertThat(key.get("algorithm").asText()).isEqualTo("ecdsa");
        assertThat(key.get("fingerprint").asText()).isEqualTo(OriginalSshKeys.FINGERPRINT);
        assertThat(key.get("text").asText()).isEqualTo(OriginalSshKeys.PUBLIC_KEY);

        Response fetched = api.get("/api/sshkeys/" + id);
        assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
        assertThat(fetched.contentType()).startsWith("text/plain");
        assertThat(fetched.body()).isEqualTo(OriginalSshKeys.PUBLIC_KEY);
    }

    @Test
    void publicKeyIsJsonWhenAskedFor() {
        long id = api.asOperator()
                .post("/api/sshkeys", ORIGINAL_ADD_PUBLIC_KEY)
                .json()
                .get("id")
                .asLong();

        Response fetched = api.getJson("/api/sshkeys/" + id);

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.contentType()).startsWith("application/json");
        assertThat(fetched.json().get("text").asText()).isEqualTo(OriginalSshKeys.PUBLIC_KEY);
        assertThat(fetched.json().get("private").asBoolean()).isFalse();
    }

    @Test
    void originalAddPrivateKeyStoresNormalisedKeyThatSshKeygenReads() {
        Response created = api.asOperator().post("/api/sshkeys", ORIGINAL_ADD_PRIVATE_KEY);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("private").asBoolean()).isTrue();
        assertThat(created.json().get("fingerprint").asText()).isEqualTo(OriginalSshKeys.FINGERPRINT);
        long id = created.json().get("id").asLong();

        Response fetched = api.asOperator().get("/api/sshkeys/" + id);
        assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
        assertThat(fetched.contentType()).startsWith("text/plain");
        assertThat(fetched.raw().headers().firstValue("Cache-Control"))
                .hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        assertThat(fetched.body())
                .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
                .endsWith("-----\n");
        assertThat(SshKeygen.publicKeyOf(fetched.body()).requireSuccess("-y").stdout())
                .isEqualTo(OriginalSshKeys.PUBLIC_KEY);
    }

    @Test
    void privateKeyWithoutTokenIs401() {
        long id = api.asOperator()
                .post("/api/sshkeys", ORIGINAL_ADD_PRIVATE_KEY)
                .json()
                .get("id")
                .asLong();

        for (Response response : new Response[] {api.get("/api/sshkeys/" + id), api.getJson("/api/sshkeys/" + id)}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(401);
            assertThat(response.isProblem()).isTrue();
            assertThat(response.json().get("detail").asText())
                    .contains("private key")
                    .contains("Bearer <token>");
            assertThat(response.raw().headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(response.body()).doesNotContain("OPENSSH").doesNotContain("b3BlbnNzaC1rZXkt");
        }
    }

    @Test
    void privateKeyAsJsonForOperator() {
        long id = api.asOperator()
                .post("/api/sshkeys", ORIGINAL_ADD_PRIVATE_KEY)
                .json()
                .get("id")
                .asLong();

        Response fetched = api.asOperator().getJson("/api/sshkeys/" + id);

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("private").asBoolean()).isTrue();
        assertThat(fetched.json().get("text").asText()).contains("bnRmeC14MjMwLWZlZG9yYQECAwQ=\n");
    }

    // --- lists ---

    @Test
    void listNeverContainsPrivateKeyText() {
        String artifactId = uniqueArtifactId();
        api.asOperator().post("/api/sshkeys", request(OriginalSshKeys.PRIVATE_KEY, artifactId, true));
        api.asOperator().post("/api/sshkeys", request(OriginalSshKeys.PUBLIC_KEY, artifactId, false));

        Response list = api.asOperator().get("/api/sshkeys?search=" + artifactId + "&searchFields=artifactId&sort=id");

        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        JsonNode page = list.json();
        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("page").asInt()).isEqualTo(1);
        assertThat(page.get("pageSize").asInt()).isEqualTo(10);
        assertThat(page.get("totalPages").asLong()).isEqualTo(1);
        JsonNode privateRow = page.get("rows").get(0);
        assertThat(privateRow.get("private").asBoolean()).isTrue();
        assertThat(privateRow.get("text").isNull()).isTrue();
        assertThat(privateRow.get("algorithm").asText()).isEqualTo("ecdsa");
        assertThat(privateRow.get("fingerprint").asText()).isEqualTo(OriginalSshKeys.FINGERPRINT);
        JsonNode publicRow = page.get("rows").get(1);
        assertThat(publicRow.get("text").asText()).isEqualTo(OriginalSshKeys.PUBLIC_KEY);
        assertThat(list.body()).doesNotContain("PRIVATE KEY").doesNotContain("b3BlbnNzaC1rZXkt");
    }

    @Test
    void searchingTextNeverMatchesPrivateKeys() {
        String artifactId = uniqueArtifactId();
        api.asOperator().post("/api/sshkeys", request(OriginalSshKeys.PRIVATE_KEY, artifactId, true));

        Response byPrivateText = api.asOperator()
                .get("/api/sshkeys?searchFields=text&search="
                        + encode("kAAAAhAOUvaCmEoMgsNL6Hl2XliKnMSvVOhXYyQqjGds21VWkKAAAAG3Bvam50ZnhAcG9q"));
        Response byArtifact = api.asOperator().get("/api/sshkeys?searchFields=artifactId&search=" + artifactId);

        assertThat(byPrivateText.json().get("total").asLong()).isZero();
        assertThat(byArtifact.json().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void listNeedsToken() {
        Response list = api.get("/api/sshkeys");

        assertThat(list.status()).isEqualTo(401);
        assertThat(list.isProblem()).isTrue();
    }

    @Test
    void listRejectsUnknownSortField() {
        Response list = api.asOperator().get("/api/sshkeys?sort=secret");

        assertThat(list.status()).isEqualTo(400);
        assertThat(list.json().get("detail").asText())
                .contains("unknown field 'secret'")
                .contains("fingerprint");
    }

    // --- invalid requests ---

    @Test
    void invalidKeyIs400SayingWhatIsWrong() {
        Response response =
                api.asOperator().post("/api/sshkeys", request("ssh-ed25519 not-base64!", ORIGINAL_ARTIFACT_ID, false));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("detail").asText())
                .startsWith("invalid SSH key: ")
                .contains("not base64");
    }

    @Test
    void publicKeyMarkedPrivateIs400() {
        Response response =
                api.asOperator().post("/api/sshkeys", request(OriginalSshKeys.PUBLIC_KEY, ORIGINAL_ARTIFACT_ID, true));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("'private' is true but the text is a public key");
    }

    @Test
    void privateKeyMarkedPublicIs400() {
        Response response = api.asOperator()
                .post("/api/sshkeys", request(OriginalSshKeys.PRIVATE_KEY, ORIGINAL_ARTIFACT_ID, false));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("'private' is false but the text is a private key");
    }

    @Test
    void encryptedPrivateKeyIs400() {
        String encrypted = SshKeygen.generate("ed25519", "c", "a passphrase").privateKey();

        Response response = api.asOperator().post("/api/sshkeys", request(encrypted, ORIGINAL_ARTIFACT_ID, true));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText())
                .contains("encrypted with a passphrase")
                .contains("ssh-keygen -p");
    }

    @Test
    void missingOrMalformedArtifactIdIs400() {
        Response missing = api.asOperator().post("/api/sshkeys", Json.body(Map.of("text", OriginalSshKeys.PUBLIC_KEY)));
        Response malformed =
                api.asOperator().post("/api/sshkeys", request(OriginalSshKeys.PUBLIC_KEY, "no spaces allowed", false));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asText()).contains("'artifactId' is required");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("detail").asText()).contains("'artifactId' must be");
    }

    @Test
    void privateFlagIsTakenFromTextWhenAbsent() {
        Response created = api.asOperator()
                .post(
                        "/api/sshkeys",
                        Json.body(Map.of("text", OriginalSshKeys.PRIVATE_KEY, "artifactId", ORIGINAL_ARTIFACT_ID)));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("private").asBoolean()).isTrue();
    }

    @Test
    void unknownFieldIs400() {
        Response response =
                api.asOperator().post("/api/sshkeys", "{\"text\": \"x\", \"artifactId\": \"a\", \"isPrivate\": false}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText())
                .contains("unknown field 'isPrivate'")
                .contains("private");
    }

    @Test
    void writingNeedsToken() {
        assertThat(api.post("/api/sshkeys", ORIGINAL_ADD_PUBLIC_KEY).status()).isEqualTo(401);
    }

    @Test
    void privateKeysNeverReachTheLog(CapturedOutput output) {
        String damaged = OriginalSshKeys.PRIVATE_KEY.replace(
                "G6AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBB69xaEXw3y8PZeV\n", "");
        long id = api.asOperator()
                .post("/api/sshkeys", ORIGINAL_ADD_PRIVATE_KEY)
                .json()
                .get("id")
                .asLong();
        assertThat(api.get("/api/sshkeys/" + id).status()).isEqualTo(401);
        assertThat(api.asOperator()
                        .post("/api/sshkeys", request(OriginalSshKeys.PRIVATE_KEY, ORIGINAL_ARTIFACT_ID, false))
                        .status())
                .isEqualTo(400);
        assertThat(api.asOperator()
                        .post("/api/sshkeys", request(damaged, ORIGINAL_ARTIFACT_ID, true))
                        .status())
                .isEqualTo(400);
        assertThat(api.asOperator().get("/api/sshkey?algorithm=ed25519").status())
                .isEqualTo(200);

        assertThat(output.getAll())
                .doesNotContain("b3BlbnNzaC1rZXkt")
                .doesNotContain("kAAAAhAOUvaCmEoMgsNL6Hl2XliKnMSvVOhXYyQqjGds21VWkKAAAAG3Bvam50ZnhAcG9q");
    }

    // --- replace, delete, unknown ids ---

    @Test
    void unknownIdIs404() {
        Response response = api.get("/api/sshkeys/987654321");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("detail").asText()).isEqualTo("SSH key 987654321 does not exist");
    }

    @Test
    void putReplacesKey() {
        long id = api.asOperator()
                .post("/api/sshkeys", ORIGINAL_ADD_PUBLIC_KEY)
                .json()
                .get("id")
                .asLong();
        SshKeygen.KeyFiles other = SshKeygen.generate("ed25519", "other@example", "");

        Response replaced = api.asOperator().put("/api/sshkeys/" + id, request(other.publicKey(), "other.site", false));

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("algorithm").asText()).isEqualTo("ed25519");
        assertThat(replaced.json().get("artifactId").asText()).isEqualTo("other.site");
        assertThat(replaced.json().get("fingerprint").asText()).isEqualTo(SshKeygen.fingerprint(other.publicKey()));
        assertThat(api.get("/api/sshkeys/" + id).body()).isEqualTo(other.publicKey());
    }

    @Test
    void putOfUnknownIdIs404() {
        assertThat(api.asOperator()
                        .put("/api/sshkeys/987654321", ORIGINAL_ADD_PUBLIC_KEY)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void deleteRemovesKey() {
        long id = api.asOperator()
                .post("/api/sshkeys", ORIGINAL_ADD_PUBLIC_KEY)
                .json()
                .get("id")
                .asLong();

        assertThat(api.delete("/api/sshkeys/" + id).status()).isEqualTo(401);
        assertThat(api.asOperator().delete("/api/sshkeys/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/sshkeys/" + id).status()).isEqualTo(404);
        assertThat(api.asOperator().delete("/api/sshkeys/" + id).status()).isEqualTo(404);
    }

    // --- helpers ---

    static String request(String text, String artifactId, boolean isPrivate) {
        return Json.body(Json.object("text", text, "artifactId", artifactId, "private", isPrivate));
    }

    private static String uniqueArtifactId() {
        return "site-" + UUID.randomUUID() + ".test";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
