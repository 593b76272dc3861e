package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Agents.Agent;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class BootEventApiTest extends ServerIntegrationTest {
    private static final Map<String, Object> DHCP = Json.object(
            "seq",
            1,
            "at",
            "2026-11-22T01:02:03.123Z",
            "kind",
            "dhcp",
            "mac",
            "52:54:00:AA:BB:CC",
            "ip",
            "10.213.5.100",
            "file",
            null,
            "message",
            "dnsmasq-dhcp[812]: PXE(veth-dist) 52:54:00:aa:bb:cc proxy");
    private static final Map<String, Object> TFTP = Json.object(
            "seq",
            2,
            "at",
            "2026-11-22T01:02:04Z",
            "kind",
            "tftp",
            "mac",
            "52:54:00:aa:bb:cc",
            "ip",
            "10.213.5.100",
            "file",
            "/srv/tftp/ipxe.efi",
            "message",
            "dnsmasq-tftp[812]: sent /srv/tftp/ipxe.efi to 10.213.5.100");

    @Autowired
    JdbcClient jdbc;

    private static String upload(Object... events) {
        return upload(List.of(events));
    }

    private static String upload(List<?> events) {
        return Json.body(Map.of("events", events));
    }

    private static String events(Agent agent) {
        return "/api/distributors/" + agent.distributorId() + "/events";
    }

    private static Map<String, Object> event(long seq, String at, String kind, String mac) {
        Map<String, Object> event = Json.object("seq", seq, "at", at, "kind", kind, "message", "line " + seq);
        return mac == null ? event : Json.with(event, "mac", mac);
    }

    private static List<Long> seqs(JsonNode page) {
        List<Long> seqs = new ArrayList<>();
        page.get("rows").forEach(row -> seqs.add(row.get("seq").asLong()));
        return seqs;
    }

    @Test
    void anAgentUploadsEventsAndAnOperatorReadsThemBack() {
        Agent agent = Agents.enrol(api);
        jdbc.sql("UPDATE distributors SET last_seen = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5), agent.distributorId())
                .update();

        Api.Response uploaded = agent.api().post(events(agent), upload(DHCP, TFTP));

        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        assertThat(uploaded.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(uploaded.json().get("duplicates").asInt()).isZero();
        JsonNode page = api.asOperator().get(events(agent)).json();
        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("page").asInt()).isEqualTo(1);
        assertThat(page.get("pageSize").asInt()).isEqualTo(10);
        assertThat(page.get("totalPages").asLong()).isEqualTo(1);
        JsonNode dhcp = page.get("rows").get(0);
        assertThat(dhcp.get("id").asLong()).isPositive();
        assertThat(dhcp.get("distributorId").asLong()).isEqualTo(agent.distributorId());
        assertThat(dhcp.get("artifactId").asText()).isEqualTo(agent.site());
        assertThat(dhcp.get("seq").asLong()).isEqualTo(1);
        assertThat(dhcp.get("at").asText()).isEqualTo("2026-11-22T01:02:03.123Z");
        assertThat(dhcp.get("kind").asText()).isEqualTo("dhcp");
        assertThat(dhcp.get("mac").asText()).as("normalised").isEqualTo("52:54:00:aa:bb:cc");
        assertThat(dhcp.get("ip").asText()).isEqualTo("10.213.5.100");
        assertThat(dhcp.get("file").isNull()).isTrue();
        assertThat(dhcp.get("message").asText()).isEqualTo("dnsmasq-dhcp[812]: PXE(veth-dist) 52:54:00:aa:bb:cc proxy");
        assertThat(dhcp.get("receivedAt").isNull()).isFalse();
        assertThat(page.get("rows").get(1).get("file").asText()).isEqualTo("/srv/tftp/ipxe.efi");
        assertThat(api.asOperator()
                        .get("/api/distributors/" + agent.distributorId())
                        .json()
                        .get("online")
                        .asBoolean())
                .as("an upload counts as seen")
                .isTrue();
    }

    @Test
    void aResentUploadIsCountedAsDuplicatesAndStoredOnce() {
        Agent agent = Agents.enrol(api);
        agent.api().post(events(agent), upload(DHCP));

        Api.Response again = agent.api().post(events(agent), upload(DHCP, TFTP));

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(1);
        assertThat(seqs(api.asOperator().get(events(agent)).json())).containsExactly(1L, 2L);
    }

    @Test
    void badEventsAreProblemsNamingTheEventAndField() {
        Agent agent = Agents.enrol(api);
        String path = events(agent);
        Api own = agent.api();
        assertProblem(own.post(path, "{}"), "'events' is required");
        assertProblem(own.post(path, Json.body(Map.of("events", Map.of()))), "'events' is required");
        assertProblem(own.post(path, upload()), "'events' must hold 1 to 1000 events, got 0");
        List<Object> tooMany = IntStream.range(0, 1001)
                .mapToObj(i -> (Object) event(i, "2026-11-22T01:02:03Z", "service", null))
                .toList();
        assertProblem(own.post(path, upload(tooMany)), "'events' must hold 1 to 1000 events, got 1001");
        assertProblem(own.post(path, upload(DHCP, 42)), "'events[1]' must be an object");
        assertProblem(own.post(path, upload(DHCP, Json.without(TFTP, "seq"))), "'events[1].seq' is required");
        assertProblem(
                own.post(path, upload(Json.with(DHCP, "seq", -1))),
                "'events[0].seq' must be a whole number, 0 or more");
        assertProblem(own.post(path, upload(Json.with(DHCP, "seq", 1.5))), "'events[0].seq' must be a whole number");
        assertProblem(own.post(path, upload(Json.with(DHCP, "seq", "1"))), "'events[0].seq' must be a whole number");
        assertProblem(
                own.post(path, upload(DHCP, Json.with(TFTP, "seq", 1))),
                "'events[1].seq' 1 is also the seq of events[0]");
        assertProblem(
                own.post(path, upload(Json.without(DHCP, "at"))), "'events[0].at' is required: an ISO-8601 instant");
        assertProblem(
                own.post(path, upload(Json.with(DHCP, "at", "Nov 22 01:02:03"))),
                "'events[0].at' must be an ISO-8601 instant like 2026-11-22T01:02:03.123Z, got 'Nov 22 01:02:03'");
        assertProblem(
                own.post(path, upload(Json.with(DHCP, "at", "2026-11-22T01:02:03"))),
                "'events[0].at' must be an ISO-8601 instant");
        assertProblem(
                own.post(path, upload(Json.with(DHCP, "kind", "dns"))),
                "'events[0].kind' must be one of dhcp, tftp, service, got 'dns'");
        assertProblem(own.post(path, upload(Json.without(DHCP, "kind"))), "'events[0].kind' is required");
        assertProblem(
                own.post(path, upload(DHCP, TFTP, event(3, "2026-11-22T01:02:05Z", "dhcp", "52:54:00:aa:bb"))),
                "'events[2].mac' must be a MAC address like 52:54:00:12:34:56, got '52:54:00:aa:bb'");
        assertProblem(
                own.post(path, upload(Json.with(DHCP, "ip", "10.213.5.300"))),
                "'events[0].ip' must be an IPv4 or IPv6 address");
        assertProblem(
                own.post(path, upload(Json.with(DHCP, "ip", "pxe.example"))),
                "'events[0].ip' must be an IPv4 or IPv6 address");
        assertProblem(own.post(path, upload(Json.with(DHCP, "ip", 10))), "'events[0].ip' must be a string");
        assertProblem(
                own.post(path, upload(Json.with(DHCP, "file", "f".repeat(1001)))),
                "'events[0].file' must be at most 1000 characters");
        assertProblem(
                own.post(
                        path,
                        upload(Json.with(
                                DHCP,
                                "message",
                                ((String) DHCP.get("message")).replace("dnsmasq-dhcp[812]", "x".repeat(2001))))),
                "'events[0].message' must be at most 2000 characters");
        assertProblem(
                own.post(
                        path,
                        upload(Json.with(
                                DHCP,
                                "message",
                                ((String) DHCP.get("message")).replace("dnsmasq-dhcp[812]", "nul \0 here")))),
                "'events[0].message' contains a NUL character");
        assertProblem(
                own.post(path, upload(Json.with(DHCP, "file", "a\0b"))), "'events[0].file' contains a NUL character");
        assertProblem(
                own.post(path, upload(Map.of("seq", 1, "at", "2026-11-22T01:02:03Z", "kind", "service"))),
                "'events[0].message' is required");
        assertThat(api.asOperator().get(path).json().get("total").asLong())
                .as("a refused upload stores nothing, not even its valid events")
                .isZero();

        Api.Response ipv6 =
                own.post(path, upload(Json.with(Json.with(DHCP, "ip", "fd00::5:100"), "mac", "52-54-00-AA-BB-CC")));
        assertThat(ipv6.status()).as(ipv6.toString()).isEqualTo(200);
        JsonNode stored = api.asOperator().get(path).json().get("rows").get(0);
        assertThat(stored.get("ip").asText()).isEqualTo("fd00::5:100");
        assertThat(stored.get("mac").asText()).isEqualTo("52:54:00:aa:bb:cc");
    }

    private static void assertProblem(Api.Response response, String detail) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.json().get("detail").asText()).contains(detail);
    }

    @Test
    void onlyTheDistributorsOwnTokenMayUploadAndOnlyOperatorsMayRead() {
        Agent mine = Agents.enrol(api);
        Agent theirs = Agents.enrol(api);

        assertThat(api.asOperator().post(events(mine), upload(DHCP)).status())
                .as("operators may not upload")
                .isEqualTo(403);
        Api.Response foreign = theirs.api().post(events(mine), upload(DHCP));
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(403);
        assertThat(foreign.json().get("detail").asText()).contains("another distributor");
        assertThat(api.post(events(mine), upload(DHCP)).status()).isEqualTo(401);
        assertThat(mine.api().get(events(mine)).status())
                .as("agents may not read")
                .isEqualTo(403);
        assertThat(api.get(events(mine)).status()).isEqualTo(401);
        assertThat(api.asOperator().get(events(mine)).json().get("total").asLong())
                .isZero();
        assertThat(mine.api()
                        .post("/api/distributors/999999999/events", upload(DHCP))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void eventsAreListedOldestFirstFilteredAndPaged() {
        Agent agent = Agents.enrol(api);
        String a = "52:54:00:00:00:0a";
        String b = "52:54:00:00:00:0b";
        Api.Response uploaded = agent.api()
                .post(
                        events(agent),
                        upload(
                                event(10, "2026-11-22T01:00:05Z", "tftp", a),
                                event(11, "2026-11-22T01:00:00Z", "dhcp", a),
                                event(12, "2026-11-22T01:00:01Z", "dhcp", b),
                                event(13, "2026-11-22T01:00:02Z", "service", null),
                                event(14, "2026-11-22T01:00:03+01:00", "dhcp", a),
                                event(15, "2026-11-22T01:00:00Z", "tftp", b)));
        assertThat(uploaded.json().get("accepted").asInt()).isEqualTo(6);
        String path = events(agent);
        Api operator = api.asOperator();

        assertThat(seqs(operator.get(path).json()))
                .as("by at, then in the order stored; +01:00 is an hour earlier")
                .containsExactly(14L, 11L, 15L, 12L, 13L, 10L);
        assertThat(seqs(operator.get(path + "?mac=52:54:00:00:00:0A").json())).containsExactly(14L, 11L, 10L);
        assertThat(seqs(operator.get(path + "?kind=tftp").json())).containsExactly(15L, 10L);
        assertThat(seqs(operator.get(path + "?mac=" + b + "&kind=dhcp").json())).containsExactly(12L);
        assertThat(seqs(operator.get(path + "?since=2026-11-22T01:00:01Z").json()))
                .containsExactly(12L, 13L, 10L);
        JsonNode second = operator.get(path + "?page=2&pageSize=4").json();
        assertThat(seqs(second)).containsExactly(13L, 10L);
        assertThat(second.get("total").asLong()).isEqualTo(6);
        assertThat(second.get("totalPages").asLong()).isEqualTo(2);

        assertProblem(operator.get(path + "?mac=nope"), "'mac' must be a MAC address");
        assertProblem(operator.get(path + "?kind=dns"), "'kind' must be one of dhcp, tftp, service");
        assertProblem(operator.get(path + "?since=yesterday"), "'since' must be an ISO-8601 instant");
        assertProblem(operator.get(path + "?pageSize=101"), "pageSize must be between 1 and 100");
        Api.Response unknown = operator.get("/api/distributors/999999999/events");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.isProblem()).isTrue();
    }
}
