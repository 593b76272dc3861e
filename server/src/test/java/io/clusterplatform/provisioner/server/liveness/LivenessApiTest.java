package io.clusterplatform.provisioner.server.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Agents.Agent;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The agent's check endpoints and the health they give localnodes, with thresholds of seconds. */
class LivenessApiTest {
    private static StandaloneServer server;
    private static Api api;

    /** A node of a check plan, as the API lists it. */
    record PlannedNode(long id, String ip, int sshPort) {}

    @BeforeAll
    static void start() {
        server = StandaloneServer.startFresh(
                "--provisioner.liveness.check-every=1s",
                "--provisioner.liveness.yellow-after=2s",
                "--provisioner.liveness.red-after=4s");
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Agent enrol() {
        return Agents.enrol(api);
    }

    private static String checks(Agent agent) {
        return "/api/distributors/" + agent.distributorId() + "/checks";
    }

    private static long register(String ip, String site) {
        Api.Response created = api.post("/api/localnodes?ip=" + ip + "&artifactId=" + site + "&pingable=true");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static Map<String, Object> result(long nodeId, String ip, boolean reachable, Boolean sshOpen, Instant at) {
        return Json.object(
                "nodeId", nodeId, "ip", ip, "reachable", reachable, "sshOpen", sshOpen, "checkedAt", at.toString());
    }

    private static String results(Object... results) {
        return results(List.of(results));
    }

    private static String results(List<?> results) {
        return Json.body(Map.of("results", results));
    }

    private static JsonNode node(long id) {
        Api.Response node = api.asOperator().get("/api/localnodes/" + id);
        assertThat(node.status()).as(node.toString()).isEqualTo(200);
        return node.json();
    }

    private static String health(long id) {
        return node(id).get("health").asText();
    }

    @Test
    void anAgentGetsTheNodesOfItsArtifactIdAndHowOftenToCheckThem() {
        Agent agent = enrol();
        long a = register("10.213.5.100", agent.site());
        long b = register("fd00::5:101", agent.site());
        register("10.213.5.102", enrol().site());

        Api.Response plan = agent.api().get(checks(agent));

        assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
        assertThat(plan.json().get("everySeconds").asLong()).isEqualTo(1);
        assertThat(plan.json().get("nodes").toString())
                .isEqualTo(Json.body(
                        List.of(new PlannedNode(a, "10.213.5.100", 22), new PlannedNode(b, "fd00::5:101", 22))));
    }

    @Test
    void healthGoesFromUnknownToGreenToYellowToRed() {
        Agent agent = enrol();
        long id = register("10.213.5.110", agent.site());
        JsonNode registered = node(id);
        assertThat(registered.get("health").asText()).isEqualTo("unknown");
        assertThat(registered.get("healthReason").asText()).isEqualTo("not checked yet");
        assertThat(registered.get("lastCheckedAt").isNull()).isTrue();
        assertThat(registered.get("reachable").isNull()).isTrue();
        assertThat(registered.get("sshOpen").isNull()).isTrue();

        Instant reached = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Api.Response reported =
                agent.api().post(checks(agent), results(result(id, "10.213.5.110", true, true, reached)));
        assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
        assertThat(reported.json().toString()).isEqualTo(Json.body(Map.of("updated", 1)));
        JsonNode green = node(id);
        assertThat(green.get("health").asText()).isEqualTo("green");
        assertThat(green.get("healthReason").asText()).isEqualTo("reachable at " + reached);
        assertThat(green.get("reachable").asBoolean()).isTrue();
        assertThat(green.get("sshOpen").asBoolean()).isTrue();
        assertThat(green.get("pingable").asBoolean()).isTrue();
        assertThat(green.get("lastCheckedAt").asText()).isEqualTo(reached.toString());
        assertThat(green.get("lastSeen").asText()).isEqualTo(reached.toString());

        agent.api().post(checks(agent), results(result(id, "10.213.5.110", false, false, Instant.now())));
        assertThat(node(id).get("pingable").asBoolean()).isFalse();
        await("yellow 2 s after the last successful check")
                .atMost(Timeouts.request())
                .pollInterval(Duration.ofMillis(100))
                .until(() -> health(id).equals("yellow"));
        assertThat(Duration.between(reached, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(node(id).get("healthReason").asText()).startsWith("unreachable since " + reached);
        agent.api().post(checks(agent), results(result(id, "10.213.5.110", false, false, Instant.now())));
        await("red 4 s after the last successful check")
                .atMost(Timeouts.request())
                .pollInterval(Duration.ofMillis(100))
                .until(() -> health(id).equals("red"));
        assertThat(Duration.between(reached, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(4));

        agent.api().post(checks(agent), results(result(id, "10.213.5.110", true, false, Instant.now())));
        assertThat(health(id)).as("back at once").isEqualTo("green");
    }

    @Test
    void aNodeWhoseDistributorsAreOfflineIsUnknownNotHealthy() {
        Agent agent = enrol();
        long id = register("10.213.5.120", agent.site());
        agent.api().post(checks(agent), results(result(id, "10.213.5.120", true, true, Instant.now())));
        assertThat(health(id)).isEqualTo("green");

        server.bean(JdbcClient.class)
                .sql("UPDATE distributors SET last_seen = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(2), agent.distributorId())
                .update();

        JsonNode node = node(id);
        assertThat(node.get("health").asText()).isEqualTo("unknown");
        assertThat(node.get("healthReason").asText())
                .startsWith("no distributor of artifactId " + agent.site() + " is online to check it");
        JsonNode list = api.asOperator()
                .get("/api/localnodes?search=" + agent.site() + "&searchFields=artifactId")
                .json();
        assertThat(list.fieldNames()).toIterable().containsExactly("rows", "total", "page", "pageSize", "totalPages");
        assertThat(list.get("rows").get(0).fieldNames())
                .toIterable()
                .containsExactly(
                        "id",
                        "ip",
                        "artifactId",
                        "pingable",
                        "mac",
                        "hostname",
                        "firstSeen",
                        "lastSeen",
                        "health",
                        "healthReason",
                        "lastCheckedAt",
                        "reachable",
                        "sshOpen",
                        "verified");
        assertThat(list.get("rows").get(0).get("health").asText()).isEqualTo("unknown");

        Api.Response plan = agent.api().get(checks(agent));
        assertThat(plan.status()).isEqualTo(200);
        assertThat(health(id)).as("fetching checks counts as seen").isEqualTo("green");
    }

    @Test
    void aDistributorMayNotReportOnNodesOfAnotherArtifactId() {
        Agent mine = enrol();
        Agent theirs = enrol();
        long own = register("10.213.5.130", mine.site());
        long foreign = register("10.213.5.131", theirs.site());

        Api.Response refused = mine.api()
                .post(
                        checks(mine),
                        results(
                                result(own, "10.213.5.130", true, true, Instant.now()),
                                result(foreign, "10.213.5.131", false, false, Instant.now())));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("detail").asText())
                .isEqualTo("'results[1].nodeId' " + foreign + " is not a node of artifactId " + mine.site()
                        + ": a distributor reports only on the nodes of its own artifactId");
        assertThat(node(own).get("lastCheckedAt").isNull())
                .as("nothing written")
                .isTrue();
        assertThat(node(foreign).get("lastCheckedAt").isNull()).isTrue();
    }

    @Test
    void badReportsAreProblemsNamingTheResultAndField() {
        Agent agent = enrol();
        long id = register("10.213.5.140", agent.site());
        Map<String, Object> ok = result(id, "10.213.5.140", true, true, Instant.now());
        Api own = agent.api();
        String path = checks(agent);

        assertProblem(own.post(path, "{}"), "'results' is required");
        assertProblem(own.post(path, results()), "'results' must hold 1 to 1000 results, got 0");
        List<Object> tooMany = IntStream.range(0, 1001).mapToObj(i -> ok).collect(Collectors.toList());
        assertProblem(own.post(path, results(tooMany)), "'results' must hold 1 to 1000 results, got 1001");
        assertProblem(own.post(path, results(ok, 7)), "'results[1]' must be an object");
        assertProblem(own.post(path, results(Json.without(ok, "nodeId"))), "'results[0].nodeId' is required");
        assertProblem(
                own.post(path, results(Json.with(ok, "nodeId", String.valueOf(id)))),
                "'results[0].nodeId' must be the id of a localnode");
        assertProblem(
                own.post(path, results(ok, ok)), "'results[1].nodeId' " + id + " is also the nodeId of results[0]");
        assertProblem(
                own.post(path, results(Json.with(ok, "ip", "10.213.5.300"))),
                "'results[0].ip' must be an IPv4 or IPv6 address like 10.213.5.100, got '10.213.5.300'");
        assertProblem(
                own.post(path, results(Json.with(ok, "reachable", "yes"))),
                "'results[0].reachable' must be true or false");
        assertProblem(own.post(path, results(Json.without(ok, "reachable"))), "'results[0].reachable' is required");
        assertProblem(
                own.post(path, results(Json.with(ok, "sshOpen", 1))),
                "'results[0].sshOpen' must be true or false (or null: not checked), got 1");
        assertProblem(
                own.post(path, results(Json.with(ok, "checkedAt", "yesterday"))),
                "'results[0].checkedAt' must be an ISO-8601 instant like 2026-11-22T01:02:03Z, got 'yesterday'");
        assertProblem(
                own.post(path, results(Json.with(ok, "ip", "10.213.5.141"))),
                "'results[0].ip' 10.213.5.141 is not the address of node " + id + " (10.213.5.140)");
        assertThat(node(id).get("lastCheckedAt").isNull()).isTrue();

        Api.Response notChecked = own.post(path, results(Json.with(ok, "sshOpen", null)));
        assertThat(notChecked.status()).as(notChecked.toString()).isEqualTo(200);
        assertThat(node(id).get("sshOpen").isNull()).isTrue();
    }

    private static void assertProblem(Api.Response response, String detail) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.json().get("detail").asText()).contains(detail);
    }

    @Test
    void onlyTheDistributorsOwnTokenReachesItsChecks() {
        Agent mine = enrol();
        Agent theirs = enrol();
        long id = register("10.213.5.150", mine.site());
        String report = results(result(id, "10.213.5.150", true, true, Instant.now()));

        assertThat(api.get(checks(mine)).status()).isEqualTo(401);
        assertThat(api.post(checks(mine), report).status()).isEqualTo(401);
        assertThat(api.asOperator().get(checks(mine)).status()).as("operators").isEqualTo(403);
        assertThat(api.asOperator().post(checks(mine), report).status()).isEqualTo(403);
        Api.Response foreign = theirs.api().get(checks(mine));
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(403);
        assertThat(foreign.json().get("detail").asText()).contains("another distributor");
        assertThat(theirs.api().post(checks(mine), report).status()).isEqualTo(403);
        assertThat(mine.api().get("/api/distributors/999999999/checks").status())
                .isEqualTo(404);
        assertThat(mine.api().get("/api/localnodes/" + id).status())
                .as("an agent token reads no nodes")
                .isEqualTo(403);
    }
}
