package io.clusterplatform.provisioner.server.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.distributors.BootEventStore;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Agents.Agent;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Clocks;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Boot timelines through the API. Every request of the test comes from 127.0.0.1, so the hosts whose
 * fetches matter have that address; the server is this class's own, and each test starts without
 * recorded fetches.
 */
class TimelineApiTest {
    private static final String LOCAL = "127.0.0.1";
    private static StandaloneServer server;
    private static Api api;
    private static JdbcClient jdbc;

    /** A boot event as the agent uploads it. */
    record BootEvent(long seq, String at, String kind, String mac, String ip, String file, String message) {}

    /** A timeline's host, as the API shows it. */
    record Host(String mac, String ip, Long nodeId, String artifactId) {}

    /** The detail of a distributor's entry: the boot event and who sent it. */
    record EventDetail(long distributorId, long seq, String mac, String ip, String file, String message) {}

    /** The detail of a note about a DHCP without a fetch. */
    record NoteDetail(String dhcpAt, String ip) {}

    @BeforeAll
    static void start() {
        server = StandaloneServer.startFresh();
        api = server.api();
        jdbc = server.bean(JdbcClient.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void noFetchesYet() {
        jdbc.sql("DELETE FROM host_fetches").update();
        jdbc.sql("DELETE FROM localnodes").update();
    }

    private static Agent enrol() {
        return Agents.enrol(api);
    }

    private static long seq = 1;

    private static BootEvent event(Instant at, String kind, String mac, String ip, String file, String message) {
        return new BootEvent(seq++, at.toString(), kind, mac, ip, file, message);
    }

    private static void upload(Agent agent, BootEvent... events) {
        Api.Response uploaded = agent.api()
                .post(
                        "/api/distributors/" + agent.distributorId() + "/events",
                        Json.body(Map.of("events", List.of(events))));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
    }

    private static String mac() {
        String hex = UUID.randomUUID().toString().replace("-", "");
        return "52:54:00:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6);
    }

    private static JsonNode timeline(String path) {
        Api.Response response = api.asOperator().get(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<String> values(JsonNode timeline, String field) {
        List<String> values = new ArrayList<>();
        timeline.get("entries").forEach(e -> values.add(e.get(field).asText()));
        return values;
    }

    /**
     * Waits until the server recorded the request: it records after the response, which the client
     * may have read already.
     */
    private static HostFetch awaitRecorded(String method, String path) {
        HostFetchStore store = server.bean(HostFetchStore.class);
        return await("the server to record " + method + " " + path)
                .atMost(Timeouts.request())
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () -> store.newest(LOCAL, 1000).stream()
                                .filter(f ->
                                        f.method().equals(method) && f.path().equals(path))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void aNodesTimelineMergesWhatTheDistributorTheServerAndTheNodeSawInTimeOrder() {
        Agent agent = enrol();
        String mac = mac();
        long script = api.asOperator()
                .post(
                        "/api/mainscripts",
                        Json.body(Map.of("name", "menu", "text", "#!ipxe\nchain {{server}}/api/subscripts/1")))
                .json()
                .get("id")
                .asLong();
        Instant t0 = now().minusSeconds(30);
        upload(
                agent,
                event(t0, "dhcp", mac, null, null, "dnsmasq-dhcp[812]: 1 PXE(eth0) " + mac + " proxy"),
                event(
                        t0.plusSeconds(1),
                        "tftp",
                        mac,
                        LOCAL,
                        "uefi/ipxe.efi",
                        "dnsmasq-tftp[812]: sent /srv/tftp/uefi/ipxe.efi to 127.0.0.1"),
                event(
                        t0.plusSeconds(2),
                        "dhcp",
                        mac,
                        LOCAL,
                        "http://provisioner.example/ipxes/x/script.ipxe",
                        "dnsmasq-dhcp[812]: 2 PXE(eth0) 127.0.0.1 " + mac
                                + " http://provisioner.example/ipxes/x/script.ipxe"));
        Api.Response fetched = api.get("/api/mainscripts/" + script + "?artifactId=" + agent.site() + "&token=secret");
        assertThat(fetched.status()).isEqualTo(200);
        awaitRecorded("GET", "/api/mainscripts/" + script + "?artifactId=" + agent.site());
        Api.Response registered =
                api.post("/api/localnodes?ip=127.0.0.1&artifactId=" + agent.site() + "&pingable=true");
        assertThat(registered.status()).isEqualTo(201);
        HostFetch registration = awaitRecorded("POST", "/api/localnodes?artifactId=" + agent.site());
        long node = registered.json().get("id").asLong();
        Api.Response checked = agent.api()
                .post(
                        "/api/distributors/" + agent.distributorId() + "/checks",
                        Json.body(Map.of(
                                "results",
                                List.of(Map.of(
                                        "nodeId",
                                        node,
                                        "ip",
                                        "127.0.0.1",
                                        "reachable",
                                        true,
                                        "sshOpen",
                                        true,
                                        "checkedAt",
                                        now().toString())))));
        assertThat(checked.status()).as(checked.toString()).isEqualTo(200);

        JsonNode timeline = timeline("/api/localnodes/" + node + "/timeline");

        assertThat(timeline.get("host").toString())
                .as("the MAC found from the distributor's DHCP line naming the node's address")
                .isEqualTo(Json.body(new Host(mac, "127.0.0.1", node, agent.site())));
        assertThat(values(timeline, "kind"))
                .containsExactly("dhcp", "tftp", "dhcp", "fetch", "fetch", "registered", "reachable");
        assertThat(values(timeline, "source"))
                .containsExactly(
                        "distributor", "distributor", "distributor", "server", "server", "node", "distributor");
        assertThat(values(timeline, "summary"))
                .containsExactly(
                        "distributor " + agent.distributorId() + " made a PXE offer to " + mac,
                        "distributor " + agent.distributorId() + " sent uefi/ipxe.efi over TFTP to " + mac
                                + " (127.0.0.1)",
                        "distributor " + agent.distributorId() + " told " + mac
                                + " (127.0.0.1) to boot http://provisioner.example/ipxes/x/script.ipxe",
                        "GET /api/mainscripts/" + script + "?artifactId=" + agent.site() + " answered 200, "
                                + fetched.body().getBytes(StandardCharsets.UTF_8).length + " bytes",
                        "registration: POST /api/localnodes?artifactId=" + agent.site() + " answered 201",
                        "registered from 127.0.0.1 with artifactId " + agent.site() + ", pingable=true",
                        "reached by distributor " + agent.distributorId() + " (pxe-1); ssh port 22 open");
        assertThat(timeline.toString()).as("no query secrets").doesNotContain("secret");
        JsonNode tftp = timeline.get("entries").get(1);
        assertThat(tftp.get("at").asText()).isEqualTo(t0.plusSeconds(1).toString());
        assertThat(tftp.get("detail").toString())
                .isEqualTo(Json.body(new EventDetail(
                        agent.distributorId(),
                        seq - 2,
                        mac,
                        "127.0.0.1",
                        "uefi/ipxe.efi",
                        "dnsmasq-tftp[812]: sent /srv/tftp/uefi/ipxe.efi to 127.0.0.1")));
        JsonNode fetch = timeline.get("entries").get(3).get("detail");
        assertThat(fetch.get("clientIp").asText()).isEqualTo(LOCAL);
        assertThat(fetch.get("method").asText()).isEqualTo("GET");
        assertThat(fetch.get("status").asInt()).isEqualTo(200);
        assertThat(timeline.get("truncated").asBoolean()).isFalse();

        assertThat(timeline("/api/timeline?mac=" + mac.toUpperCase())
                        .get("host")
                        .get("nodeId")
                        .asLong())
                .isEqualTo(node);
        assertThat(timeline("/api/timeline?ip=127.0.0.1").get("entries")).hasSize(7);

        Clocks.awaitPast(registration.at().plus(TimelineService.CLOCK_LEEWAY));
        Instant again = now();
        upload(
                agent,
                event(again, "dhcp", mac, LOCAL, null, "dnsmasq-dhcp[812]: 3 PXE(eth0) 127.0.0.1 " + mac + " proxy"));
        JsonNode rebooted = timeline("/api/localnodes/" + node + "/timeline");
        JsonNode note = rebooted.get("entries").get(rebooted.get("entries").size() - 1);
        assertThat(note.get("kind").asText()).isEqualTo("note");
        assertThat(note.get("source").asText()).isEqualTo("server");
        assertThat(note.get("at").asText()).isEqualTo(again.toString());
        assertThat(note.get("summary").asText())
                .startsWith("no HTTP fetch from 127.0.0.1 after its DHCP at " + again + " (it was ")
                .contains("the host may still be loading");
    }

    @Test
    void aHostThatFetchedNothingAfterItsDhcpGetsANoteSayingWhatToCheck() {
        Agent agent = enrol();
        String mac = mac();
        Instant dhcp = now().minusSeconds(120);
        upload(
                agent,
                event(dhcp.minusSeconds(3), "dhcp", mac, null, null, "dnsmasq-dhcp[812]: PXE(eth0) " + mac + " proxy"),
                event(
                        dhcp,
                        "dhcp",
                        mac,
                        "10.213.5.177",
                        "bios/ipxe.kpxe",
                        "dnsmasq-dhcp[812]: PXE(eth0) 10.213.5.177 " + mac + " bios/ipxe.kpxe"));

        JsonNode timeline = timeline("/api/timeline?mac=" + mac);

        assertThat(timeline.get("host").toString()).isEqualTo(Json.body(new Host(mac, "10.213.5.177", null, null)));
        assertThat(values(timeline, "kind")).containsExactly("dhcp", "dhcp", "note");
        JsonNode note = timeline.get("entries").get(2);
        assertThat(note.get("summary").asText())
                .isEqualTo("no HTTP fetch from 10.213.5.177 after its DHCP at " + dhcp + ": the host never asked this"
                        + " server for its script. Check the tftp entries (did it load iPXE?), that the script URL its"
                        + " distributor hands out reaches this server from the host's LAN (provisioner.public-url),"
                        + " and the host's console");
        assertThat(note.get("detail").toString()).isEqualTo(Json.body(new NoteDetail(dhcp.toString(), "10.213.5.177")));
        assertThat(timeline("/api/timeline?ip=10.213.5.177")
                        .get("host")
                        .get("mac")
                        .asText())
                .isEqualTo(mac);
    }

    @Test
    void aHostWhoseAddressNobodyKnowsGetsANoteThatSaysSo() {
        Agent agent = enrol();
        String mac = mac();
        upload(
                agent,
                event(
                        now().minusSeconds(90),
                        "dhcp",
                        mac,
                        null,
                        null,
                        "dnsmasq-dhcp[812]: PXE(eth0) " + mac + " proxy"));

        JsonNode timeline = timeline("/api/timeline?mac=" + mac);

        assertThat(timeline.get("host").get("ip").isNull()).isTrue();
        assertThat(values(timeline, "summary").getLast())
                .startsWith("no address known for this host after its DHCP at");
    }

    @Test
    void aFetchAfterTheDhcpMeansNoNote() {
        Agent agent = enrol();
        String mac = mac();
        upload(
                agent,
                event(
                        now().minusSeconds(5),
                        "dhcp",
                        mac,
                        LOCAL,
                        null,
                        "dnsmasq-dhcp[812]: PXE(eth0) " + mac + " proxy"));
        assertThat(api.send(api.builder("/assets/vmlinuz")
                                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()))
                        .status())
                .isEqualTo(404);
        awaitRecorded("HEAD", "/assets/vmlinuz");

        JsonNode timeline = timeline("/api/timeline?mac=" + mac);

        assertThat(values(timeline, "kind")).as(timeline.toString()).containsExactly("dhcp", "fetch");
        assertThat(values(timeline, "summary").getLast()).isEqualTo("HEAD /assets/vmlinuz answered 404");
    }

    @Test
    void recordsWhatHostsFetchEvenWhenRefusedButNotWhatOperatorsManage() {
        String uuid = UUID.randomUUID().toString();
        api.get("/ipxes/" + uuid + "/ipxe.efi");
        api.withToken("wrong-token-0123456789abcdef").get("/api/kickstarts/1");
        api.asOperator().post("/api/mainscripts", Json.body(Map.of("text", "#!ipxe")));
        api.asOperator().get("/api/mainscripts");
        api.asOperator().get("/api/localnodes");
        awaitRecorded("GET", "/ipxes/" + uuid + "/ipxe.efi");
        awaitRecorded("GET", "/api/kickstarts/1");

        List<HostFetch> fetches = server.bean(HostFetchStore.class).newest(LOCAL, 10);

        assertThat(fetches)
                .extracting(HostFetch::method, HostFetch::path, HostFetch::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", "/api/kickstarts/1", 401),
                        org.assertj.core.groups.Tuple.tuple("GET", "/ipxes/" + uuid + "/ipxe.efi", 404));
    }

    @Test
    void aFailureToRecordNeverFailsTheRequest() {
        long script = api.asOperator()
                .post("/api/mainscripts", Json.body(Map.of("text", "#!ipxe")))
                .json()
                .get("id")
                .asLong();
        // The writer's own log, caught in this JVM: the log file belongs to whichever server of this
        // test JVM configured logging first, which need not be this one.
        ch.qos.logback.classic.Logger writerLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(HostFetchWriter.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        writerLog.addAppender(logged);
        jdbc.sql("ALTER TABLE host_fetches RENAME TO host_fetches_away").update();
        try {
            Api.Response fetched = api.get("/api/mainscripts/" + script + "?artifactId=unrecorded.example");
            assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo("#!ipxe");
            await("the server to log that it could not record the fetch")
                    .atMost(Timeouts.request())
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> List.copyOf(logged.list).stream()
                            .anyMatch(e -> e.getFormattedMessage()
                                    .contains("Could not record GET /api/mainscripts/" + script + " from 127.0.0.1")));
        } finally {
            writerLog.detachAppender(logged);
            jdbc.sql("ALTER TABLE host_fetches_away RENAME TO host_fetches").update();
        }
    }

    @Test
    void keepsTheNewest500Entries() {
        HostFetchStore fetches = server.bean(HostFetchStore.class);
        Instant t0 = now().minusSeconds(3600);
        for (int i = 0; i < 600; i++) {
            fetches.record(t0.plusMillis(i), "10.213.5.200", "GET", "/assets/f" + i, 200, 1L);
        }

        JsonNode timeline = timeline("/api/timeline?ip=10.213.5.200");

        assertThat(timeline.get("entries")).hasSize(TimelineService.MAX_ENTRIES);
        assertThat(timeline.get("truncated").asBoolean()).isTrue();
        assertThat(values(timeline, "summary").getFirst()).startsWith("GET /assets/f100 ");
        assertThat(values(timeline, "summary").getLast()).startsWith("GET /assets/f599 ");
    }

    @Test
    void otherFeaturesAddEntriesThroughTimelineSources() {
        long node = api.post("/api/localnodes?ip=10.213.5.210&artifactId=site.example")
                .json()
                .get("id")
                .asLong();
        awaitRecorded("POST", "/api/localnodes?artifactId=site.example");
        Instant ran = now();
        TimelineSource scriptRuns = (host, limit) -> host.nodeId() != null && host.nodeId() == node
                ? List.of(new TimelineEntry(
                        ran,
                        "script",
                        TimelineEntry.Source.DISTRIBUTOR,
                        "ran postinstall.sh: exit 0",
                        TimelineEntry.details("exitCode", 0)))
                : List.of();
        TimelineService service = new TimelineService(
                server.bean(LocalnodeStore.class),
                server.bean(BootEventStore.class),
                server.bean(HostFetchStore.class),
                List.of(scriptRuns, server.bean(NodeEventSource.class), server.bean(HostFetchSource.class)),
                Clock.systemUTC());

        Timeline timeline = service.forNode(node);

        assertThat(timeline.entries())
                .as("the registration's request came from 127.0.0.1, not from the node's address")
                .extracting(TimelineEntry::kind)
                .containsExactly("registered", "script");
        assertThat(timeline.entries().getLast().summary()).isEqualTo("ran postinstall.sh: exit 0");
    }

    @Test
    void oldEntriesAreDeletedAfterProvisionerTimelineKeep() {
        Agent agent = enrol();
        String mac = mac();
        upload(agent, event(now(), "dhcp", mac, null, null, "old"), event(now(), "dhcp", mac, null, null, "new"));
        long node = api.post("/api/localnodes?ip=10.213.5.220&artifactId=site.example")
                .json()
                .get("id")
                .asLong();
        awaitRecorded("POST", "/api/localnodes?artifactId=site.example");
        OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusDays(31);
        jdbc.sql("UPDATE boot_events SET received_at = ? WHERE message = 'old'")
                .param(longAgo)
                .update();
        jdbc.sql("UPDATE node_events SET at = ? WHERE node_id = ?")
                .params(longAgo, node)
                .update();
        server.bean(HostFetchStore.class).record(longAgo.toInstant(), "10.213.5.220", "GET", "/assets/a", 200, 1L);
        server.bean(HostFetchStore.class).record(Instant.now(), "10.213.5.220", "GET", "/assets/b", 200, 1L);

        TimelineCleanup.Deleted deleted = server.bean(TimelineCleanup.class).cleanUp();

        assertThat(deleted.bootEvents()).isEqualTo(1);
        assertThat(deleted.nodeEvents()).isEqualTo(1);
        assertThat(deleted.hostFetches()).isGreaterThanOrEqualTo(1);
        assertThat(values(timeline("/api/timeline?mac=" + mac), "kind")).containsExactly("dhcp", "note");
        assertThat(values(timeline("/api/localnodes/" + node + "/timeline"), "summary"))
                .containsExactly("GET /assets/b answered 200, 1 bytes");
    }

    @Test
    void onlyOperatorsReadTimelinesAndBadQuestionsAreProblems() {
        Agent agent = enrol();
        long node = api.post("/api/localnodes?ip=10.213.5.230&artifactId=" + agent.site())
                .json()
                .get("id")
                .asLong();
        awaitRecorded("POST", "/api/localnodes?artifactId=" + agent.site());

        assertThat(api.get("/api/localnodes/" + node + "/timeline").status()).isEqualTo(401);
        assertThat(api.get("/api/timeline?ip=10.213.5.230").status()).isEqualTo(401);
        assertThat(agent.api().get("/api/localnodes/" + node + "/timeline").status())
                .isEqualTo(403);
        assertThat(agent.api().get("/api/timeline?ip=10.213.5.230").status()).isEqualTo(403);
        Api operator = api.asOperator();
        assertProblem(operator.get("/api/localnodes/999999999/timeline"), 404, "localnode 999999999 does not exist");
        assertProblem(operator.get("/api/timeline"), 400, "give 'mac' or 'ip' (or both)");
        assertProblem(
                operator.get("/api/timeline?mac=nope"), 400, "'mac' must be a MAC address like 52:54:00:12:34:56");
        assertProblem(operator.get("/api/timeline?ip=10.213.5.300"), 400, "'ip' must be an IPv4 or IPv6 address");
        JsonNode unknown = timeline("/api/timeline?ip=fd00:0:0::99");
        assertThat(unknown.get("host").toString()).isEqualTo(Json.body(new Host(null, "fd00::99", null, null)));
        assertThat(unknown.get("entries")).isEmpty();
    }

    private static void assertProblem(Api.Response response, int status, String detail) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.json().get("detail").asText()).contains(detail);
    }
}
