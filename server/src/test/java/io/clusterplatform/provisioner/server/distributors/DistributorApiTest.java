package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.builds.Builds;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Agents.Agent;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class DistributorApiTest extends ServerIntegrationTest {
    private static final String UEFI = "http://services.provisioner.sandbox.cloud.alphahorizon.io:30003/ipxes/"
            + "bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b/ipxe.efi";
    private static final String BIOS = "http://services.provisioner.sandbox.cloud.alphahorizon.io:30003/ipxes/"
            + "cf6de9eb-2079-4708-98fc-6264f2a9c9af/ipxe.kpxe";

    @Autowired
    JdbcClient jdbc;

    private Agent enrol() {
        return Agents.enrol(api);
    }

    private OffsetDateTime markLongUnseen(Agent agent) {
        OffsetDateTime longAgo =
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(3).truncatedTo(ChronoUnit.SECONDS);
        jdbc.sql("UPDATE distributors SET last_seen = ? WHERE id = ?")
                .params(longAgo, agent.distributorId())
                .update();
        return longAgo;
    }

    private boolean online(Agent agent) {
        return api.asOperator()
                .get("/api/distributors/" + agent.distributorId())
                .json()
                .get("online")
                .asBoolean();
    }

    /** The fields of {@link #originalUpdate()}, for requests that change one of them. */
    private static final Map<String, Object> UPDATE = Json.object(
            "ipxePxeUefiUrl",
            UEFI,
            "ipxePxeBiosUrl",
            BIOS,
            "artifactId",
            1,
            "device",
            "enp0s25",
            "range",
            "192.168.178.1");

    /** The original tutorial's update request, word for word. */
    private static String originalUpdate() {
        return "{\n    \"ipxePxeUefiUrl\": \"" + UEFI + "\",\n    \"ipxePxeBiosUrl\": \"" + BIOS
                + "\",\n    \"artifactId\": 1,\n    \"device\": \"enp0s25\",\n    \"range\": \"192.168.178.1\"\n}";
    }

    @Test
    void theOriginalsThreeDistributorRequestsAreAccepted() {
        Agent agent = enrol();
        Api operator = api.asOperator();

        JsonNode list = operator.get("/api/distributors?search=" + agent.site() + "&searchFields=artifactId")
                .json();
        assertThat(list.get("total").asLong()).isEqualTo(1);
        JsonNode row = list.get("rows").get(0);
        assertThat(row.get("id").asLong()).isEqualTo(agent.distributorId());
        assertThat(row.get("hostname").asText()).isEqualTo("pxe-1");
        assertThat(row.get("online").asBoolean()).isTrue();
        assertThat(row.get("lastSeen").isNull()).isFalse();
        assertThat(row.has("tokenId")).isFalse();

        Api.Response update = operator.put("/api/distributors/" + agent.distributorId(), originalUpdate());
        assertThat(update.status()).as(update.toString()).isEqualTo(202);
        assertThat(update.json().get("kind").asText()).isEqualTo("update");
        assertThat(update.json().get("payload").get("artifactId").asText())
                .as("the body's artifactId 1 names no site of this distributor: ignored, never stored")
                .isEqualTo(agent.site());
        assertThat(update.json().get("warnings").get(0).asText())
                .isEqualTo("'artifactId' '1' is not this distributor's site '" + agent.site() + "': it was ignored"
                        + " (a distributor serves the artifactId of its enrollment token; leave 'artifactId' out)");
        assertThat(update.json().get("payload").get("ipxePxeUefiUrl").asText()).isEqualTo(UEFI);
        assertThat(update.json().get("payload").size())
                .as("another server's bootloaders: the original API's five fields only")
                .isEqualTo(5);

        Api.Response off = operator.put(
                "/api/distributors/" + agent.distributorId() + "/status",
                "{\n    \"on\": false,\n    \"artifactId\": 1\n}");
        assertThat(off.status()).as(off.toString()).isEqualTo(202);
        assertThat(off.json().get("warnings")).hasSize(1);
        assertThat(off.json().get("kind").asText()).isEqualTo("status");
        Api.Response on = operator.put(
                "/api/distributors/" + agent.distributorId() + "/status",
                "{\n    \"on\": true,\n    \"artifactId\": 1\n}");
        assertThat(on.status()).isEqualTo(202);

        JsonNode distributor =
                operator.get("/api/distributors/" + agent.distributorId()).json();
        assertThat(distributor.get("on").asBoolean()).isTrue();
        assertThat(distributor.get("settings").get("device").asText()).isEqualTo("enp0s25");
        assertThat(distributor.get("settings").get("range").asText()).isEqualTo("192.168.178.1");
        JsonNode commands = operator.get("/api/distributors/" + agent.distributorId() + "/commands")
                .json();
        assertThat(commands).hasSize(3);
        assertThat(commands.get(0).get("kind").asText()).isEqualTo("status");
        assertThat(commands.get(0).get("status").asText()).isEqualTo("pending");
        assertThat(commands.get(2).get("kind").asText()).isEqualTo("update");
    }

    @Test
    void badDeviceRangeOrUrlAreProblemsNamingTheField() {
        Agent agent = enrol();
        String path = "/api/distributors/" + agent.distributorId();
        Api operator = api.asOperator();
        assertProblem(operator.put(path, updateWith("device", "eth 0")), "'device'");
        assertProblem(operator.put(path, updateWith("device", "a234567890123456")), "'device'");
        assertProblem(operator.put(path, updateWith("device", "eth/0")), "'device'");
        assertProblem(operator.put(path, updateWith("range", "192.168.178")), "'range'");
        assertProblem(operator.put(path, updateWith("range", "::1")), "'range'");
        assertProblem(
                operator.put(path, update(UEFI.replace("http://", "ftp://"), BIOS.replace("http://", "ftp://"))),
                "'ipxePxeUefiUrl'");
        assertProblem(operator.put(path, updateWith("artifactId", true)), "'artifactId'");
        assertProblem(operator.put(path + "/status", Json.body(Map.of("artifactId", 1))), "'on'");
        assertThat(operator.get(path + "/commands").json()).as("nothing queued").isEmpty();
        assertThat(operator.put("/api/distributors/999999999", originalUpdate()).status())
                .isEqualTo(404);
    }

    /** A BIOS-only site (or UEFI-only, or arm64-only) is configured with its one URL. */
    @Test
    void eitherUrlAloneConfiguresASite() {
        Agent agent = enrol();
        String path = "/api/distributors/" + agent.distributorId();
        Api operator = api.asOperator();

        Api.Response biosOnly = operator.put(
                path, Json.body(Map.of("ipxePxeBiosUrl", BIOS, "device", "enp0s25", "range", "192.168.178.1")));

        assertThat(biosOnly.status()).as(biosOnly.toString()).isEqualTo(202);
        JsonNode payload = biosOnly.json().get("payload");
        assertThat(payload.get("ipxePxeBiosUrl").asText()).isEqualTo(BIOS);
        assertThat(payload.has("ipxePxeUefiUrl")).isFalse();
        assertThat(payload.get("artifactId").asText()).isEqualTo(agent.site());
        assertThat(biosOnly.json().has("warnings")).as("nothing was ignored").isFalse();
        assertThat(operator.get(path)
                        .json()
                        .get("settings")
                        .get("ipxePxeUefiUrl")
                        .isNull())
                .isTrue();

        Api.Response none = operator.put(path, Json.body(Map.of("device", "enp0s25", "range", "192.168.178.1")));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().get("detail").asText())
                .startsWith("give at least one of 'ipxePxeUefiUrl', 'ipxePxeBiosUrl' and 'ipxePxeArm64Url'");
    }

    @Test
    void anOptionalArm64BootloaderIsStoredAndSentToTheAgent() {
        Agent agent = enrol();
        String path = "/api/distributors/" + agent.distributorId();
        Api operator = api.asOperator();
        String arm64 = "http://elsewhere.example/ipxe-arm64.efi";

        Api.Response update = operator.put(path, updateWith("ipxePxeArm64Url", arm64));

        assertThat(update.status()).as(update.toString()).isEqualTo(202);
        assertThat(update.json().get("payload").get("ipxePxeArm64Url").asText()).isEqualTo(arm64);
        assertThat(operator.get(path)
                        .json()
                        .get("settings")
                        .get("ipxePxeArm64Url")
                        .asText())
                .isEqualTo(arm64);
        assertProblem(operator.put(path, updateWith("ipxePxeArm64Url", "tftp://x")), "'ipxePxeArm64Url'");
    }

    private JsonNode builtIpxe(String platform, String extension) {
        JsonNode queued = Builds.queue(
                api, "ipxes", Builds.ipxe("#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/1", platform, extension));
        return Builds.awaitDone(api, "ipxes", queued.get("id").asLong());
    }

    private static String update(String uefiUrl, String biosUrl) {
        return Json.body(Json.with(Json.with(UPDATE, "ipxePxeUefiUrl", uefiUrl), "ipxePxeBiosUrl", biosUrl));
    }

    private static String updateWith(String field, Object value) {
        return Json.body(Json.with(UPDATE, field, value));
    }

    @Test
    void anUpdateNamingIpxeBuildsOfThisServerCarriesTheirSha256AndScriptUrl() {
        Agent agent = enrol();
        JsonNode efi = builtIpxe("bin-x86_64-efi", "efi");
        JsonNode kpxe = builtIpxe("bin-x86_64-pcbios", "kpxe");
        String uefiUrl = Builds.file(efi, "ipxe.efi").get("url").asText();
        String biosUrl = Builds.file(kpxe, "ipxe.kpxe").get("url").asText();
        assertThat(uefiUrl).startsWith(api.base().toString());

        Api.Response update = api.asOperator()
                .put(
                        "/api/distributors/" + agent.distributorId(),
                        update(uefiUrl, biosUrl.replaceFirst("^http://", "HTTP://")));

        assertThat(update.status()).as(update.toString()).isEqualTo(202);
        JsonNode payload = update.json().get("payload");
        assertThat(payload.get("ipxePxeUefiUrl").asText()).isEqualTo(uefiUrl);
        assertThat(payload.get("ipxePxeBiosUrl").asText()).isEqualToIgnoringCase(biosUrl);
        assertThat(payload.get("artifactId").asText()).isEqualTo(agent.site());
        assertThat(payload.get("device").asText()).isEqualTo("enp0s25");
        assertThat(payload.get("range").asText()).isEqualTo("192.168.178.1");
        assertThat(payload.get("ipxePxeUefiSha256").asText())
                .isEqualTo(Builds.file(efi, "ipxe.efi").get("sha256").asText());
        assertThat(payload.get("ipxePxeUefiScriptUrl").asText())
                .isEqualTo(Builds.file(efi, "proxydhcp.ipxe").get("url").asText());
        assertThat(payload.get("ipxePxeBiosSha256").asText())
                .isEqualTo(Builds.file(kpxe, "ipxe.kpxe").get("sha256").asText());
        assertThat(payload.get("ipxePxeBiosScriptUrl").asText())
                .isEqualTo(Builds.file(kpxe, "proxydhcp.ipxe").get("url").asText());

        JsonNode delivered = agent.api()
                .get("/api/distributors/" + agent.distributorId() + "/commands?wait=0s")
                .json();
        assertThat(delivered.get("payload")).isEqualTo(payload);
        JsonNode settings = api.asOperator()
                .get("/api/distributors/" + agent.distributorId())
                .json()
                .get("settings");
        assertThat(settings.has("ipxePxeUefiSha256"))
                .as("checksums go to the agent, not into the settings")
                .isFalse();
        assertThat(settings.get("ipxePxeUefiUrl").asText()).isEqualTo(uefiUrl);
    }

    @Test
    void anUpdateNamingAFileThisServerDoesNotHaveIsRefusedBeforeAnythingIsQueued() {
        Agent agent = enrol();
        String path = "/api/distributors/" + agent.distributorId();
        JsonNode efi = builtIpxe("bin-x86_64-efi", "efi");
        String uefiUrl = Builds.file(efi, "ipxe.efi").get("url").asText();
        String ours = api.base().toString();

        Api.Response unknownUuid =
                api.asOperator().put(path, update(ours + "/ipxes/" + java.util.UUID.randomUUID() + "/ipxe.efi", BIOS));
        assertProblem(unknownUuid, "'ipxePxeUefiUrl' names no artifact file of this server");
        assertThat(unknownUuid.json().get("detail").asText()).contains(ours + "/ipxes/");
        assertProblem(
                api.asOperator().put(path, update(UEFI, uefiUrl.replace("ipxe.efi", "ipxe.kpxe"))),
                "'ipxePxeBiosUrl' names no artifact file of this server");
        assertProblem(
                api.asOperator().put(path, update(UEFI, ours + "/ipxes/not-a-uuid/ipxe.kpxe")),
                "'ipxePxeBiosUrl' names no artifact file of this server");
        assertThat(api.asOperator().get(path + "/commands").json())
                .as("nothing queued")
                .isEmpty();
        assertThat(api.asOperator().get(path).json().get("settings").isNull())
                .as("nothing stored")
                .isTrue();

        Api.Response elsewhere = api.asOperator().put(path, update(UEFI, uefiUrl));
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(202);
        JsonNode payload = elsewhere.json().get("payload");
        assertThat(payload.has("ipxePxeUefiSha256"))
                .as("another server's file: nothing known about it")
                .isFalse();
        assertThat(payload.has("ipxePxeUefiScriptUrl")).isFalse();
        assertThat(payload.get("ipxePxeBiosSha256").asText())
                .isEqualTo(Builds.file(efi, "ipxe.efi").get("sha256").asText());
    }

    private static void assertProblem(Api.Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("detail").asText()).contains(field);
    }

    @Test
    void enrollmentTokensAreShownOnceListedWithoutSecretAndRevocable() {
        String site = Agents.site();
        String token = Agents.createToken(api, site).secret();
        assertThat(token).startsWith("cpd_");
        JsonNode listed = null;
        for (JsonNode t : api.asOperator().get("/api/distributors/tokens").json()) {
            if (t.get("artifactId").asText().equals(site)) {
                listed = t;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.has("token")).isFalse();
        assertThat(token).startsWith(listed.get("prefix").asText());

        Api agent = api.withToken(token);
        Api.Response registered = agent.post("/api/distributors/register", Json.body(Map.of("hostname", "pxe-1")));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().get("artifactId").asText()).isEqualTo(site);
        assertThat(agent.post("/api/distributors/register", Json.body(Map.of("hostname", "pxe-1")))
                        .json()
                        .get("id")
                        .asLong())
                .isEqualTo(registered.json().get("id").asLong());

        assertThat(api.asOperator()
                        .delete("/api/distributors/tokens/" + listed.get("id").asLong())
                        .json()
                        .get("revokedAt")
                        .isNull())
                .isFalse();
        Api.Response refused = agent.post("/api/distributors/register", Json.body(Map.of("hostname", "pxe-1")));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asText()).contains("distributor token");
        assertThat(agent.get("/api/distributors/" + registered.json().get("id").asLong() + "/commands?wait=0s")
                        .status())
                .isEqualTo(401);
        assertThat(api.post("/api/distributors/tokens", Json.body(Map.of("artifactId", site)))
                        .status())
                .as("creating tokens needs an operator")
                .isEqualTo(401);
    }

    @Test
    void aPollReceivesACommandQueuedWhileWaitingAndAcknowledgesItOnce() throws Exception {
        Agent agent = enrol();
        String commands = "/api/distributors/" + agent.distributorId() + "/commands";
        markLongUnseen(agent);
        CompletableFuture<Api.Response> poll =
                CompletableFuture.supplyAsync(() -> agent.api().get(commands + "?wait=25s"));
        // The poll records lastSeen when it starts waiting: only then is the command queued.
        Awaitility.await("the poll to be waiting")
                .atMost(Duration.ofSeconds(10))
                .until(() -> online(agent));
        assertThat(poll).as("nothing queued yet: the poll is still waiting").isNotDone();

        Api.Response queued = api.asOperator()
                .put("/api/distributors/" + agent.distributorId() + "/status", Json.body(Map.of("on", true)));
        assertThat(queued.status()).isEqualTo(202);

        Api.Response delivered = poll.get(5, TimeUnit.SECONDS);
        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(200);
        long commandId = delivered.json().get("id").asLong();
        assertThat(commandId).isEqualTo(queued.json().get("id").asLong());
        assertThat(delivered.json().get("payload").get("on").asBoolean()).isTrue();

        Api.Response again = agent.api().get(commands + "?wait=0s");
        assertThat(again.json().get("id").asLong())
                .as("redelivered until acknowledged")
                .isEqualTo(commandId);

        Api.Response ack = agent.api()
                .post(
                        commands + "/" + commandId + "/result",
                        Json.body(Map.of("ok", true, "output", "dnsmasq started")));
        assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
        assertThat(ack.json().get("status").asText()).isEqualTo("done");
        Api.Response second = agent.api().post(commands + "/" + commandId + "/result", Json.body(Map.of("ok", false)));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.isProblem()).isTrue();

        JsonNode listed = api.asOperator().get(commands).json().get(0);
        assertThat(listed.get("status").asText()).isEqualTo("done");
        assertThat(listed.get("output").asText()).isEqualTo("dnsmasq started");

        long started = System.nanoTime();
        Api.Response nothing = agent.api().get(commands + "?wait=1s");
        assertThat(nothing.status()).isEqualTo(204);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void tokensActOnlyOnTheirOwnDistributor() {
        Agent mine = enrol();
        Agent theirs = enrol();
        long theirCommand = api.asOperator()
                .put("/api/distributors/" + theirs.distributorId() + "/status", Json.body(Map.of("on", true)))
                .json()
                .get("id")
                .asLong();
        String foreign = "/api/distributors/" + theirs.distributorId() + "/commands";

        assertThat(mine.api().get(foreign + "?wait=0s").status()).isEqualTo(403);
        assertThat(mine.api()
                        .post(foreign + "/" + theirCommand + "/result", Json.body(Map.of("ok", true)))
                        .status())
                .isEqualTo(403);
        assertThat(mine.api().get("/api/distributors").status())
                .as("no operator API")
                .isEqualTo(403);
        assertThat(mine.api()
                        .put("/api/distributors/" + mine.distributorId() + "/status", Json.body(Map.of("on", true)))
                        .status())
                .isEqualTo(403);
        assertThat(api.asOperator().get(foreign + "?wait=0s").status())
                .as("operators may not poll")
                .isEqualTo(403);
        assertThat(api.asOperator()
                        .post("/api/distributors/register", Json.body(Map.of("hostname", "x")))
                        .status())
                .isEqualTo(403);
        assertThat(api.get(foreign).status()).isEqualTo(401);
        assertThat(api.asOperator().get(foreign).json().get(0).get("status").asText())
                .as("still undelivered")
                .isEqualTo("pending");
    }

    @Test
    void anUnreachableDistributorStaysListedAsOffline() {
        Agent agent = enrol();
        OffsetDateTime longAgo = markLongUnseen(agent);

        JsonNode offline = api.asOperator()
                .get("/api/distributors?search=" + agent.site() + "&searchFields=artifactId")
                .json()
                .get("rows")
                .get(0);
        assertThat(offline.get("online").asBoolean()).isFalse();
        assertThat(OffsetDateTime.parse(offline.get("lastSeen").asText()).toInstant())
                .isEqualTo(longAgo.toInstant());

        assertThat(agent.api()
                        .get("/api/distributors/" + agent.distributorId() + "/commands?wait=0s")
                        .status())
                .isEqualTo(204);
        assertThat(api.asOperator()
                        .get("/api/distributors/" + agent.distributorId())
                        .json()
                        .get("online")
                        .asBoolean())
                .isTrue();
    }
}
