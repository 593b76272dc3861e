package io.clusterplatform.provisioner.server.registries;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The REST behaviour of the five text registries, over real HTTP. */
class TextRegistryApiTest extends ServerIntegrationTest {

    private static String body(String text) {
        return Json.body(Map.of("text", text));
    }

    @ParameterizedTest
    @EnumSource(TextRegistry.class)
    void storesAndServesTextByteForByte(TextRegistry registry) {
        String text = "#!ipxe\r\necho grüße ${net0/mac}\n\ttab \"quoted\" \\backslash\n";
        Api.Response created = api.asOperator().post("/api/" + registry.path(), body(text));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.raw().headers().firstValue("Location")).contains("/api/" + registry.path() + "/" + id);

        Api.Response raw = api.get("/api/" + registry.path() + "/" + id);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.contentType()).startsWith("text/plain").contains("UTF-8");
        assertThat(raw.body()).isEqualTo(text);

        Api.Response json = api.getJson("/api/" + registry.path() + "/" + id);
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(json.json().get("text").asText()).isEqualTo(text);
        assertThat(json.json().get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void replaceChangesTextAndUpdatedAtButNotCreatedAt() {
        JsonNode created = api.asOperator()
                .post("/api/subscripts", body("#!ipxe\necho one"))
                .json();
        long id = created.get("id").asLong();
        // A booting host's GET before the change: the lean path keeps the script in memory (ServedScripts).
        assertThat(api.get("/api/subscripts/" + id).body()).isEqualTo("#!ipxe\necho one");
        Api.Response replaced = api.asOperator()
                .put("/api/subscripts/" + id, Json.body(Map.of("text", "#!ipxe\necho two", "name", "two")));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("name").asText()).isEqualTo("two");
        assertThat(replaced.json().get("createdAt").asText())
                .isEqualTo(created.get("createdAt").asText());
        assertThat(replaced.json().get("updatedAt").asText())
                .isGreaterThanOrEqualTo(created.get("updatedAt").asText());
        assertThat(api.get("/api/subscripts/" + id).body()).isEqualTo("#!ipxe\necho two");
    }

    @Test
    void deleteRemovesTheEntry() {
        long id = api.asOperator()
                .post("/api/prebootscripts", body("echo bye"))
                .json()
                .get("id")
                .asLong();
        assertThat(api.get("/api/prebootscripts/" + id).body()).isEqualTo("echo bye");
        assertThat(api.asOperator().delete("/api/prebootscripts/" + id).status())
                .isEqualTo(204);
        Api.Response gone = api.get("/api/prebootscripts/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.isProblem()).isTrue();
        assertThat(gone.json().get("detail").asText()).isEqualTo("prebootscript " + id + " does not exist");
        assertThat(api.asOperator().delete("/api/prebootscripts/" + id).status())
                .isEqualTo(404);
    }

    @Test
    void listsInTheOriginalShapeWithSearchSortAndPages() {
        String tag = UUID.randomUUID().toString();
        for (int i = 1; i <= 3; i++) {
            api.asOperator()
                    .post("/api/mainscripts", Json.body(Map.of("text", "#!ipxe\n# " + tag + " " + i, "name", "n" + i)));
        }
        JsonNode page = api.asOperator()
                .get("/api/mainscripts?search=" + tag + "&searchFields=text&pageSize=2&page=1&sort=-name")
                .json();
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("page").asInt()).isEqualTo(1);
        assertThat(page.get("pageSize").asInt()).isEqualTo(2);
        assertThat(page.get("totalPages").asLong()).isEqualTo(2);
        assertThat(page.get("rows")).hasSize(2);
        assertThat(page.get("rows").get(0).get("name").asText()).isEqualTo("n3");
        assertThat(page.get("rows").get(1).get("name").asText()).isEqualTo("n2");

        JsonNode second = api.asOperator()
                .get("/api/mainscripts?search=" + tag.toUpperCase() + "&searchFields=text&pageSize=2&page=2&sort=-name")
                .json();
        assertThat(second.get("rows")).hasSize(1);
        assertThat(second.get("rows").get(0).get("name").asText()).isEqualTo("n1");
    }

    @Test
    void listsNeedATokenButOneEntryIsOpenToBootingHosts() {
        long id = api.asOperator()
                .post("/api/mainscripts", body("#!ipxe"))
                .json()
                .get("id")
                .asLong();
        assertThat(api.get("/api/mainscripts").status()).isEqualTo(401);
        assertThat(api.get("/api/mainscripts/" + id).status()).isEqualTo(200);
        assertThat(api.put("/api/mainscripts/" + id, body("x")).status()).isEqualTo(401);
        assertThat(api.delete("/api/mainscripts/" + id).status()).isEqualTo(401);
        assertThat(api.get("/api/mainscripts/" + id).body()).isEqualTo("#!ipxe");
    }

    @Test
    void kickstartListsNeverShowPlaintextPasswords() {
        String tag = UUID.randomUUID().toString();
        api.asOperator().post("/api/kickstarts", body("# " + tag + "\nrootpw --plaintext s3cret-" + tag + "\n"));
        Api.Response list = api.asOperator().get("/api/kickstarts?search=" + tag);
        assertThat(list.json().get("total").asLong()).isEqualTo(1);
        assertThat(list.body()).doesNotContain("s3cret-").contains("rootpw --iscrypted $6$");
    }

    @Test
    void rawTextFillsServerAndArtifactIdPlaceholdersJsonShowsThemAsStored() {
        String stored = "#!ipxe\nchain {{server}}/api/subscripts/1?artifactId={{artifactId}}\ngoto ${server}\n";
        long id = api.asOperator()
                .post("/api/mainscripts", body(stored))
                .json()
                .get("id")
                .asLong();
        assertThat(api.get("/api/mainscripts/" + id + "?artifactId=lab.site-1").body())
                .isEqualTo("#!ipxe\nchain " + api.base() + "/api/subscripts/1?artifactId=lab.site-1\ngoto ${server}\n");
        assertThat(api.get("/api/mainscripts/" + id).body()).contains("?artifactId=\n");
        assertThat(api.getJson("/api/mainscripts/" + id).json().get("text").asText())
                .isEqualTo(stored);
        Api.Response bad = api.get("/api/mainscripts/" + id + "?artifactId=a%20b");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).contains("'artifactId'");
    }

    /**
     * Booting hosts' GETs are answered by {@code bootpath/BootScriptPath}, ahead of security and MVC; an
     * operator's GET (with a token) takes the ordinary path through the controller. Both give the
     * same bytes and headers where they should; HEAD, unknown ids and bad input are as before.
     */
    @ParameterizedTest
    @EnumSource(TextRegistry.class)
    void theBootingHostsPathAnswersAsTheControllerDoes(TextRegistry registry) throws Exception {
        String text = "#!ipxe\nchain {{server}}/api/subscripts/1?artifactId={{artifactId}}\necho grüße\n";
        long id = api.asOperator()
                .post("/api/" + registry.path(), body(text))
                .json()
                .get("id")
                .asLong();
        String path = "/api/" + registry.path() + "/" + id + "?artifactId=lab.site-1";

        Api.Response host = api.get(path);
        Api.Response operator = api.asOperator().get(path);

        assertThat(host.status()).isEqualTo(200);
        assertThat(host.body())
                .isEqualTo(operator.body())
                .isEqualTo("#!ipxe\nchain " + api.base() + "/api/subscripts/1?artifactId=lab.site-1\necho grüße\n");
        assertThat(host.contentType()).isEqualTo(operator.contentType());
        for (String header : List.of("Content-Length", "X-Content-Type-Options", "Cache-Control", "X-Frame-Options")) {
            assertThat(host.raw().headers().firstValue(header))
                    .as(header)
                    .isPresent()
                    .isEqualTo(operator.raw().headers().firstValue(header));
        }

        HttpResponse<String> head = api.send(
                api.builder(path).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length"))
                .contains(String.valueOf(host.body().getBytes(StandardCharsets.UTF_8).length));

        Api.Response missing = api.get("/api/" + registry.path() + "/" + (id + 1000));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.isProblem()).isTrue();
        assertThat(missing.json().get("detail").asText())
                .isEqualTo(registry.singular() + " " + (id + 1000) + " does not exist");
        assertThat(api.withHeader("Accept", "image/png").get(path).status()).isEqualTo(406);
        assertThat(api.withToken("cpp_not-a-token").get(path).status()).isEqualTo(401);
    }

    @Test
    void aKickstartIsServedHashedToHostsAndAsStoredToOperators() {
        long id = api.asOperator()
                .post("/api/kickstarts", body("rootpw --plaintext hunter2\n"))
                .json()
                .get("id")
                .asLong();

        assertThat(api.get("/api/kickstarts/" + id).body())
                .doesNotContain("hunter2")
                .startsWith("rootpw --iscrypted $6$");
        assertThat(api.asOperator().get("/api/kickstarts/" + id).body()).isEqualTo("rootpw --plaintext hunter2\n");
    }

    /** Every command that takes a password is hashed for hosts: sshpw, bootloader, quoted words too. */
    @Test
    void everyKindOfKickstartPasswordIsHiddenFromHosts() {
        String kickstart = "sshpw --username=install --plaintext SSH-SECRET\n"
                + "bootloader --location=mbr --password=GRUB-SECRET\n"
                + "rootpw --plaintext \"ROOT SECRET\"\n"
                + "user --name=ops --password=USER-SECRET\n";
        long id = api.asOperator()
                .post("/api/kickstarts", body(kickstart))
                .json()
                .get("id")
                .asLong();

        String served = api.get("/api/kickstarts/" + id).body();
        assertThat(served)
                .doesNotContain("SECRET")
                .contains("sshpw --iscrypted --username=install $6$")
                .contains("bootloader --location=mbr --iscrypted --password=grub.pbkdf2.sha512.10000.")
                .containsPattern("(?m)^rootpw --iscrypted \\$6\\$[^ ]+$")
                .contains("user --name=ops --password=$6$");
        assertThat(api.asOperator().get("/api/kickstarts?search=install").body())
                .doesNotContain("SECRET");
    }

    /** A kickstart whose password cannot be told apart is refused, naming the line; nothing is stored. */
    @Test
    void aKickstartWithAnUnplaceablePasswordIsRefusedNamingTheLine() {
        Api.Response refused =
                api.asOperator().post("/api/kickstarts", body("lang en_US\nrootpw --plaintext two words\n"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("detail").asText())
                .contains("line 2 (rootpw): 2 words where one password belongs")
                .doesNotContain("two words");
        long id = api.asOperator()
                .post("/api/kickstarts", body("rootpw --lock\n"))
                .json()
                .get("id")
                .asLong();
        Api.Response replaced = api.asOperator().put("/api/kickstarts/" + id, body("user --name=a --password\n"));
        assertThat(replaced.status()).isEqualTo(400);
        assertThat(replaced.json().get("detail").asText()).contains("line 1 (user): --password has no value");
        assertThat(api.asOperator().get("/api/kickstarts/" + id).body()).isEqualTo("rootpw --lock\n");
    }

    /**
     * A host (or a boot storm's load balancer) keeps one connection for many requests: Tomcat's default
     * closes it after 100; the server keeps it for 1,000, as nginx does.
     */
    @Test
    void oneConnectionServesFiveHundredScripts() throws Exception {
        long id = api.asOperator()
                .post("/api/mainscripts", body("#!ipxe\necho kept\n"))
                .json()
                .get("id")
                .asLong();
        byte[] request = ("GET /api/mainscripts/" + id + " HTTP/1.1\r\nHost: "
                        + api.base().getAuthority() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (java.net.Socket socket =
                new java.net.Socket(api.base().getHost(), api.base().getPort())) {
            socket.setSoTimeout(10_000);
            java.io.BufferedInputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            for (int i = 1; i <= 500; i++) {
                socket.getOutputStream().write(request);
                String head = readHead(in);
                assertThat(head).as("answer " + i).startsWith("HTTP/1.1 200");
                assertThat(head.toLowerCase(java.util.Locale.ROOT))
                        .as("answer " + i)
                        .doesNotContain("connection: close");
                int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *([0-9]+).*", "$1"));
                assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8))
                        .isEqualTo("#!ipxe\necho kept\n");
            }
        }
    }

    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
