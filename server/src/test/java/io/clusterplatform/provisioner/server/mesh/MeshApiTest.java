package io.clusterplatform.provisioner.server.mesh;

import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.createNetwork;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.join;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.joinNew;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.joinRequest;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.networkId;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.publicKey;
import static io.clusterplatform.provisioner.server.mesh.MeshFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.mesh.MeshFixtures.Joined;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class MeshApiTest extends ServerIntegrationTest {
    private static final String KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
            + "    server: https://[fd00::1]:6443\n  name: default\n";

    @Autowired
    JdbcClient jdbc;

    private static void assertProblem(Api.Response response, int status, String... details) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        for (String detail : details) {
            assertThat(response.json().get("detail").asText()).contains(detail);
        }
    }

    private static List<Long> ids(JsonNode peers) {
        List<Long> ids = new ArrayList<>();
        peers.forEach(peer ->
                ids.add(peer.isNumber() ? peer.asLong() : peer.get("nodeId").asLong()));
        return ids;
    }

    @Test
    void networksGetARandomUlaPrefixOrTheGivenOne() {
        Api operator = api.asOperator();
        String random = networkId();
        JsonNode created = createNetwork(api, Map.of("networkId", random));
        assertThat(created.get("networkId").asText()).isEqualTo(random);
        assertThat(created.get("ipv6Prefix").asText()).matches("fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/48");
        assertThat(created.get("nodeSubnet").asText())
                .isEqualTo(created.get("ipv6Prefix").asText().replace("/48", "/64"));
        assertThat(created.get("ipv4Range").isNull()).isTrue();
        assertThat(created.get("nodes").asLong()).isZero();
        assertThat(created.has("pk")).isFalse();

        String given = networkId();
        String givenPrefix = "fd42:4242:" + Integer.toHexString(given.hashCode() & 0xfff) + "::/48";
        String givenRange = "100.64." + (given.hashCode() & 0xff) + ".0/24";
        JsonNode second =
                createNetwork(api, Map.of("networkId", given, "ipv6Prefix", givenPrefix, "ipv4Range", givenRange));
        assertThat(second.get("ipv4Range").asText()).endsWith(".0/24");
        assertThat(operator.get("/api/mesh/networks/" + given)
                        .json()
                        .get("ipv6Prefix")
                        .asText())
                .isEqualTo(second.get("ipv6Prefix").asText());
        JsonNode list = operator.get("/api/mesh/networks?search=" + given).json();
        assertThat(list.get("total").asLong()).isEqualTo(1);
        assertThat(list.get("rows").get(0).get("networkId").asText()).isEqualTo(given);

        assertProblem(
                operator.post("/api/mesh/networks", Json.body(Map.of("networkId", given))), 409, "exists already");
        assertProblem(
                operator.post(
                        "/api/mesh/networks",
                        Json.body(Map.of(
                                "networkId",
                                networkId(),
                                "ipv6Prefix",
                                second.get("ipv6Prefix").asText().replace("::/48", ":7::/64")))),
                409,
                "'ipv6Prefix'",
                "overlaps",
                given);

        assertThat(operator.delete("/api/mesh/networks/" + random).status()).isEqualTo(204);
        assertProblem(operator.get("/api/mesh/networks/" + random), 404, random);
    }

    @Test
    void badNetworkRequestsAreProblemsNamingTheField() {
        Api operator = api.asOperator();
        assertProblem(
                operator.post("/api/mesh/networks", Json.body(Map.of("networkId", "Prod_1"))),
                400,
                "'networkId'",
                "DNS");
        assertProblem(operator.post("/api/mesh/networks", "{}"), 400, "'networkId' is required");
        assertProblem(
                operator.post(
                        "/api/mesh/networks",
                        Json.body(Map.of("networkId", networkId(), "ipv6Prefix", "2001:db8::/48"))),
                400,
                "'ipv6Prefix'",
                "fc00::/7");
        assertProblem(
                operator.post(
                        "/api/mesh/networks", Json.body(Map.of("networkId", networkId(), "ipv4Range", "8.8.8.0/24"))),
                400,
                "'ipv4Range'",
                "10.0.0.0/8");
        assertProblem(
                operator.post("/api/mesh/networks", "{\"networkId\":\"" + networkId() + "\",\"prefix\":\"fd00::/48\"}"),
                400,
                "prefix");
        String network = createNetwork(api);
        String tokens = "/api/mesh/networks/" + network + "/tokens";
        assertProblem(operator.post(tokens, Json.body(Map.of("role", "leader"))), 400, "'role' must be one of");
        assertProblem(operator.post(tokens, Json.body(Map.of("uses", 0))), 400, "'uses'");
        assertProblem(operator.post(tokens, Json.body(Map.of("expiresIn", "forever"))), 400, "'expiresIn'");
        assertProblem(operator.post("/api/mesh/networks/nope-" + network + "/tokens", "{}"), 404, "does not exist");
    }

    @Test
    void joinTokensAreShownOnceListedWithoutSecretAndRevocable() {
        String network = createNetwork(api);
        Api operator = api.asOperator();
        Api.Response created = operator.post(
                "/api/mesh/networks/" + network + "/tokens",
                Json.body(Map.of("role", "worker", "uses", 3, "expiresIn", "2h", "name", "rack 4")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode token = created.json();
        assertThat(token.get("token").asText())
                .startsWith("cpm_")
                .startsWith(token.get("prefix").asText());
        assertThat(token.get("role").asText()).isEqualTo("worker");
        assertThat(token.get("uses").asInt()).isEqualTo(3);
        assertThat(Duration.between(
                        OffsetDateTime.parse(token.get("createdAt").asText()),
                        OffsetDateTime.parse(token.get("expiresAt").asText())))
                .isEqualTo(Duration.ofHours(2));
        JsonNode defaults =
                operator.post("/api/mesh/networks/" + network + "/tokens", "").json();
        assertThat(defaults.get("role").asText()).isEqualTo("auto");
        assertThat(defaults.get("uses").asInt()).isEqualTo(1);

        JsonNode list =
                operator.get("/api/mesh/networks/" + network + "/tokens").json();
        assertThat(list).hasSize(2);
        JsonNode listed = list.get(0);
        assertThat(listed.has("token")).isFalse();
        assertThat(list.toString()).doesNotContain(token.get("token").asText());
        assertThat(listed.get("usesLeft").asInt()).isEqualTo(3);
        assertThat(listed.get("state").asText()).isEqualTo("active");
        assertThat(listed.get("revokedAt").isNull()).isTrue();

        Api.Response revoked = operator.delete(
                "/api/mesh/networks/" + network + "/tokens/" + token.get("id").asLong());
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.json().get("state").asText()).isEqualTo("revoked");
        assertThat(revoked.json().get("revokedAt").isNull()).isFalse();
        assertThat(revoked.json().get("removedNodes")).isEmpty();
        assertProblem(operator.delete("/api/mesh/networks/" + network + "/tokens/999999"), 404, "no join token");
    }

    @Test
    void joinAnswersAddressesTheNodeTokenAndPeers() {
        String network = networkId();
        String ipv6Prefix = "fd77:" + Integer.toHexString(network.hashCode() & 0xffff) + ":1::/48";
        String ipv4Range = "10.201." + (network.hashCode() & 0xff) + ".0/24";
        JsonNode created =
                createNetwork(api, Map.of("networkId", network, "ipv6Prefix", ipv6Prefix, "ipv4Range", ipv4Range));
        String prefix = created.get("ipv6Prefix").asText().replace("/48", "");
        String ipv4Base = created.get("ipv4Range").asText().replace(".0/24", ".");
        Joined first = joinNew(api, network, "auto", "node-1");
        String token = token(api, network, Map.of());
        String key = publicKey();
        Api.Response second = join(api, token, key, "node-2.example", "[2001:db8::2]:51820");

        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        assertThat(second.raw().headers().firstValue("Location"))
                .contains("/api/mesh/networks/" + network + "/nodes/"
                        + second.json().get("nodeId").asLong());
        JsonNode answer = second.json();
        assertThat(answer.get("networkId").asText()).isEqualTo(network);
        assertThat(answer.get("hostname").asText()).isEqualTo("node-2.example");
        assertThat(answer.get("address").asText()).isEqualTo(prefix + "2");
        assertThat(answer.get("ipv4").asText()).isEqualTo(ipv4Base + "2");
        assertThat(answer.get("ipv6Prefix").asText())
                .isEqualTo(created.get("ipv6Prefix").asText());
        assertThat(answer.get("nodeSubnet").asText()).isEqualTo(prefix + "/64");
        assertThat(answer.get("listenPort").asInt()).isEqualTo(51820);
        assertThat(answer.get("nodeToken").asText()).startsWith("cpn_");
        assertThat(answer.get("version").asLong()).isEqualTo(2);
        assertThat(answer.get("peers")).hasSize(1);
        JsonNode peer = answer.get("peers").get(0);
        assertThat(peer.get("nodeId").asLong()).isEqualTo(first.nodeId());
        assertThat(peer.get("publicKey").asText()).isEqualTo(first.publicKey());
        assertThat(peer.get("address").asText()).isEqualTo(prefix + "1");
        assertThat(peer.get("role").asText()).isEqualTo("master");
        assertThat(peer.get("endpoint").asText()).startsWith("203.0.113.");
        assertThat(peer.get("allowedIps").toString())
                .isEqualTo(Json.body(List.of(prefix + "1/128", ipv4Base + "1/32")));
        assertThat(answer.has("privateKey")).isFalse();
        assertThat(second.body()).doesNotContain(token);

        JsonNode nodes =
                api.asOperator().get("/api/mesh/networks/" + network + "/nodes").json();
        assertThat(nodes.get("total").asLong()).isEqualTo(2);
        JsonNode row = nodes.get("rows").get(1);
        assertThat(row.get("publicKey").asText()).isEqualTo(key);
        assertThat(row.get("endpoint").asText()).isEqualTo("[2001:db8::2]:51820");
        assertThat(row.get("health").asText()).as("its agent never called yet").isEqualTo("unknown");
        assertThat(row.toString()).doesNotContain("token\":\"cpn_");
    }

    @Test
    void aJoinThatRequiresARoleTheTokenDoesNotGiveIsRefusedWithoutSpendingIt() {
        String network = createNetwork(api);
        String token = token(api, network, Map.of("role", "worker"));
        Map<String, Object> join = joinRequest(token, publicKey(), "would-be-bridge", null);

        Api.Response refused = api.post("/api/mesh/join", Json.body(Json.with(join, "requireRole", "bridge")));
        Api.Response unknown = api.post("/api/mesh/join", Json.body(Json.with(join, "requireRole", "boss")));
        Api.Response joined = api.post("/api/mesh/join", Json.body(Json.with(join, "requireRole", "worker")));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText())
                .isEqualTo("this token gives the role worker, not bridge; it was not used: ask for a token with role"
                        + " bridge (POST /api/mesh/networks/" + network + "/tokens)");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asText())
                .isEqualTo("'requireRole' must be one of [master, worker, bridge, relay], got 'boss'");
        assertThat(joined.status())
                .as("the single-use token was still unused: " + joined)
                .isEqualTo(201);
        assertThat(joined.json().get("role").asText()).isEqualTo("worker");
    }

    @Test
    void rolesComeFromTheTokenOrTheFirstNodeBecomesMaster() {
        String network = createNetwork(api);
        assertThat(joinNew(api, network, "auto", "a").role()).isEqualTo("master");
        assertThat(joinNew(api, network, "auto", "b").role()).isEqualTo("worker");
        assertThat(joinNew(api, network, "bridge", "laptop").role()).isEqualTo("bridge");
        assertThat(joinNew(api, network, "master", "c").role())
                .as("a master token makes a second master")
                .isEqualTo("master");
        assertThat(joinNew(api, network, "worker", "d").role()).isEqualTo("worker");

        String other = createNetwork(api);
        assertThat(joinNew(api, other, "worker", "w").role()).isEqualTo("worker");
        assertThat(joinNew(api, other, "auto", "x").role())
                .as("no master yet: the first auto node becomes it")
                .isEqualTo("master");
    }

    @Test
    void theSamePublicKeyJoiningTwiceIsAConflictThatLeavesTheTokenUnused() {
        String network = createNetwork(api);
        String token = token(api, network, Map.of("uses", 2));
        String key = publicKey();
        assertThat(join(api, token, key, "a", null).status()).isEqualTo(201);

        assertProblem(join(api, token, key, "b", null), 409, "has joined mesh network '" + network + "' already");
        JsonNode listed = api.asOperator()
                .get("/api/mesh/networks/" + network + "/tokens")
                .json()
                .get(0);
        assertThat(listed.get("usesLeft").asInt()).isEqualTo(1);
        assertThat(join(api, token, publicKey(), "b", null).status()).isEqualTo(201);
    }

    @Test
    void badJoinsAreProblemsNamingTheField() {
        String network = createNetwork(api);
        String token = token(api, network, Map.of("uses", 10));
        assertProblem(
                api.post("/api/mesh/join", Json.body(Map.of("publicKey", publicKey()))), 400, "'token' is required");
        assertProblem(join(api, token, "abc", "a", null), 400, "'publicKey' must be a WireGuard public key");
        assertProblem(join(api, token, publicKey(), "not a host", null), 400, "'hostname'");
        assertProblem(join(api, token, publicKey(), "a", "example.org:51820"), 400, "'endpoint'");
        assertProblem(
                api.post("/api/mesh/join", "{\"token\":\"" + token + "\",\"privateKey\":\"x\"}"), 400, "privateKey");
        assertProblem(join(api, token.substring(0, 20) + "x".repeat(33), publicKey(), "a", null), 401, "unknown");
        Api.Response asBearer =
                api.withToken(token).post("/api/mesh/join", Json.body(joinRequest(token, publicKey(), "a", null)));
        assertProblem(asBearer, 401, "not sent as a bearer token");
        assertThat(api.asOperator()
                        .get("/api/mesh/networks/" + network + "/tokens")
                        .json()
                        .get(0)
                        .get("usesLeft")
                        .asInt())
                .as("no refused join used the token")
                .isEqualTo(10);
    }

    @Test
    void expiredRevokedAndUsedTokensAreRefusedWithClearMessages() {
        String network = createNetwork(api);
        Api operator = api.asOperator();
        JsonNode expired =
                operator.post("/api/mesh/networks/" + network + "/tokens", "{}").json();
        jdbc.sql("UPDATE mesh_join_tokens SET expires_at = ? WHERE id = ?")
                .params(
                        OffsetDateTime.parse("2026-01-01T00:00:00Z"),
                        expired.get("id").asLong())
                .update();
        JsonNode revoked =
                operator.post("/api/mesh/networks/" + network + "/tokens", "{}").json();
        operator.delete(
                "/api/mesh/networks/" + network + "/tokens/" + revoked.get("id").asLong());
        String used = token(api, network, Map.of());
        assertThat(join(api, used, publicKey(), "first", null).status()).isEqualTo(201);
        String twice = token(api, network, Map.of("uses", 2));
        join(api, twice, publicKey(), "a", null);
        join(api, twice, publicKey(), "b", null);

        assertProblem(
                join(api, expired.get("token").asText(), publicKey(), "late", null),
                403,
                "the join token " + expired.get("prefix").asText() + " expired at 2026-01-01T00:00:00Z",
                "ask the operator for a new one");
        assertProblem(
                join(api, revoked.get("token").asText(), publicKey(), "late", null),
                403,
                "the join token " + revoked.get("prefix").asText() + " was revoked at ");
        assertProblem(join(api, used, publicKey(), "second", null), 403, "has been used: it admits one host only");
        assertProblem(join(api, twice, publicKey(), "c", null), 403, "has been used 2 times, its limit");
        JsonNode states =
                operator.get("/api/mesh/networks/" + network + "/tokens").json();
        assertThat(states.findValuesAsText("state")).containsExactly("expired", "revoked", "used", "used");
    }

    @Test
    void aNodeGetsTheFullMapThenDeltas() {
        String network = createNetwork(api);
        Joined a = joinNew(api, network, "auto", "a");

        Api.Response full = a.api().get(a.peersPath());
        assertThat(full.status()).as(full.toString()).isEqualTo(200);
        assertThat(full.json().get("full").asBoolean()).isTrue();
        assertThat(full.json().get("version").asLong()).isEqualTo(1);
        assertThat(full.json().get("peers")).isEmpty();

        Joined b = joinNew(api, network, "auto", "b");
        JsonNode added = a.api().get(a.peersPath() + "?since=1&wait=5s").json();
        assertThat(added.get("full").asBoolean()).isFalse();
        assertThat(added.get("version").asLong()).isEqualTo(2);
        assertThat(ids(added.get("added"))).containsExactly(b.nodeId());
        assertThat(added.get("added").get(0).get("address").asText()).isEqualTo(b.address());
        assertThat(added.get("updated")).isEmpty();
        assertThat(added.get("removed")).isEmpty();

        Api.Response report = b.api()
                .post(
                        "/api/mesh/nodes/" + b.nodeId() + "/status",
                        Json.body(Map.of("endpoint", "198.51.100.9:51820", "peers", List.of())));
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        assertThat(report.json().get("endpointChanged").asBoolean()).isTrue();
        JsonNode updated = a.api().get(a.peersPath() + "?since=2").json();
        assertThat(updated.get("version").asLong()).isEqualTo(3);
        assertThat(ids(updated.get("updated"))).containsExactly(b.nodeId());
        assertThat(updated.get("updated").get(0).get("endpoint").asText()).isEqualTo("198.51.100.9:51820");

        JsonNode own = b.api().get(b.peersPath() + "?since=2").json();
        assertThat(own.get("version").asLong()).isEqualTo(3);
        assertThat(own.get("updated"))
                .as("a node's own change is no peer of it")
                .isEmpty();

        JsonNode fromScratch = a.api().get(a.peersPath() + "?since=0").json();
        assertThat(fromScratch.get("full").asBoolean()).isFalse();
        assertThat(ids(fromScratch.get("added"))).containsExactly(b.nodeId());
        JsonNode unknownVersion = a.api().get(a.peersPath() + "?since=99").json();
        assertThat(unknownVersion.get("full").asBoolean())
                .as("a version the network never had")
                .isTrue();
        assertThat(ids(unknownVersion.get("peers"))).containsExactly(b.nodeId());

        assertProblem(a.api().get(a.peersPath() + "?since=-1"), 400, "'since'");
        assertProblem(a.api().get(a.peersPath() + "?wait=soon"), 400, "'wait'");
    }

    @Test
    void aPollWithNothingNewEndsWith204AndAChangeWakesItAtOnce() throws Exception {
        String network = createNetwork(api);
        Joined a = joinNew(api, network, "auto", "a");

        long started = System.nanoTime();
        Api.Response quiet = a.api().get(a.peersPath() + "?since=" + a.version() + "&wait=500ms");
        assertThat(quiet.status()).as(quiet.toString()).isEqualTo(204);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));

        CompletableFuture<Api.Response> waiting =
                CompletableFuture.supplyAsync(() -> a.api().get(a.peersPath() + "?since=" + a.version() + "&wait=25s"));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        long joinedAt = System.nanoTime();
        Joined b = joinNew(api, network, "auto", "b");
        Api.Response woken = waiting.get(20, TimeUnit.SECONDS);

        assertThat(woken.status()).as(woken.toString()).isEqualTo(200);
        assertThat(ids(woken.json().get("added"))).containsExactly(b.nodeId());
        assertThat(Duration.ofNanos(System.nanoTime() - joinedAt)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void removalReachesEveryPeerAndEndsTheNodesToken() throws Exception {
        String network = createNetwork(api);
        Joined a = joinNew(api, network, "auto", "a");
        Joined b = joinNew(api, network, "auto", "b");
        Joined c = joinNew(api, network, "auto", "c");

        CompletableFuture<Api.Response> aWaits =
                CompletableFuture.supplyAsync(() -> a.api().get(a.peersPath() + "?since=3&wait=25s"));
        CompletableFuture<Api.Response> cWaits =
                CompletableFuture.supplyAsync(() -> c.api().get(c.peersPath() + "?since=3&wait=25s"));
        Thread.sleep(300);
        assertThat(api.asOperator()
                        .delete("/api/mesh/networks/" + network + "/nodes/" + c.nodeId())
                        .status())
                .isEqualTo(204);

        JsonNode delta = aWaits.get(20, TimeUnit.SECONDS).json();
        assertThat(delta.get("version").asLong()).isEqualTo(4);
        assertThat(ids(delta.get("removed"))).containsExactly(c.nodeId());
        assertProblem(cWaits.get(20, TimeUnit.SECONDS), 401, "node " + c.nodeId() + " was removed");
        assertProblem(c.api().get(c.peersPath()), 401, "unknown, or its node was removed");
        assertThat(ids(b.api().get(b.peersPath()).json().get("peers"))).containsExactly(a.nodeId());
        assertProblem(
                api.asOperator().delete("/api/mesh/networks/" + network + "/nodes/" + c.nodeId()), 404, "has no node");
        assertThat(joinNew(api, network, "auto", "d").address()).endsWith("::4");
    }

    @Test
    void revokingATokenWithRemoveNodesRemovesTheNodesItAdmitted() {
        String network = createNetwork(api);
        Joined keeper = joinNew(api, network, "auto", "keeper");
        JsonNode token = api.asOperator()
                .post("/api/mesh/networks/" + network + "/tokens", Json.body(Map.of("uses", 5)))
                .json();
        long first = join(api, token.get("token").asText(), publicKey(), "x", null)
                .json()
                .get("nodeId")
                .asLong();
        long second = join(api, token.get("token").asText(), publicKey(), "y", null)
                .json()
                .get("nodeId")
                .asLong();

        JsonNode revoked = api.asOperator()
                .delete("/api/mesh/networks/" + network + "/tokens/"
                        + token.get("id").asLong() + "?removeNodes=true")
                .json();

        assertThat(ids(revoked.get("removedNodes"))).containsExactly(first, second);
        JsonNode delta = keeper.api().get(keeper.peersPath() + "?since=1").json();
        assertThat(ids(delta.get("added")))
                .as("they came and went: nothing to add")
                .isEmpty();
        assertThat(ids(delta.get("removed"))).isEmpty();
        assertThat(delta.get("version").asLong()).isEqualTo(5);
    }

    @Test
    void statusReportsGiveLastContactHandshakesAndHealth() {
        String network = createNetwork(api);
        Joined a = joinNew(api, network, "auto", "a");
        Joined b = joinNew(api, network, "auto", "b");
        String stranger = publicKey();
        String aKey = a.publicKey();

        Api.Response report = b.api()
                .post(
                        "/api/mesh/nodes/" + b.nodeId() + "/status",
                        Json.body(Map.of(
                                "peers",
                                List.of(
                                        Map.of(
                                                "publicKey",
                                                aKey,
                                                "lastHandshake",
                                                1767268800,
                                                "rxBytes",
                                                10,
                                                "txBytes",
                                                20),
                                        Map.of("publicKey", stranger, "lastHandshake", 0)))));
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        assertThat(report.json().get("peersRecorded").asInt()).isEqualTo(1);
        assertThat(report.json().get("unknownPeers").get(0).asText()).isEqualTo(stranger);
        assertThat(report.json().get("endpointChanged").asBoolean()).isFalse();

        JsonNode detail = api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes/" + a.nodeId())
                .json();
        assertThat(detail.get("lastHandshake").asText()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(detail.get("seenBy").get(0).get("nodeId").asLong()).isEqualTo(b.nodeId());
        assertThat(detail.get("seenBy").get(0).get("rxBytes").asLong()).isEqualTo(10);
        assertThat(detail.get("health").asText()).isEqualTo("unknown");
        JsonNode reporter = api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes/" + b.nodeId())
                .json();
        assertThat(reporter.get("health").asText()).isEqualTo("green");
        assertThat(reporter.get("lastContact").isNull()).isFalse();
        assertThat(reporter.get("sees").get(0).get("nodeId").asLong()).isEqualTo(a.nodeId());

        jdbc.sql("UPDATE mesh_nodes SET last_contact = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(3), b.nodeId())
                .update();
        assertThat(health(network, b)).isEqualTo("yellow");
        jdbc.sql("UPDATE mesh_nodes SET last_contact = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(6), b.nodeId())
                .update();
        assertThat(health(network, b)).isEqualTo("red");
        b.api().get(b.peersPath());
        assertThat(health(network, b)).as("a poll is a contact").isEqualTo("green");

        String path = "/api/mesh/nodes/" + b.nodeId() + "/status";
        assertProblem(
                b.api()
                        .post(
                                path,
                                Json.body(Map.of(
                                        "peers", List.of(Map.of("publicKey", aKey, "lastHandshake", "yesterday"))))),
                400,
                "'peers[0].lastHandshake'");
        assertProblem(
                b.api().post(path, Json.body(Map.of("peers", List.of(Map.of("publicKey", "nope"))))),
                400,
                "'peers[0].publicKey'");
        assertProblem(
                b.api().post(path, Json.body(Map.of("peers", List.of(Map.of("publicKey", aKey, "rxBytes", -1))))),
                400,
                "'peers[0].rxBytes'");
        assertProblem(b.api().post(path, Json.body(Map.of("endpoint", "nowhere"))), 400, "'endpoint'");
    }

    /**
     * Two nodes behind NAT (no endpoint) whose agents poll: both in contact, neither reached by the
     * other. Once they have had each other for longer than a working tunnel's handshake age, they are
     * yellow and say why; a fresh handshake reported by either side makes both green.
     */
    @Test
    void connectedNodesThatNoPeerReachedAreNotGreenAndSayWhy() {
        String network = createNetwork(api);
        Joined a = joinNew(api, network, "auto", "nat-a");
        Joined b = joinNew(api, network, "auto", "nat-b");
        jdbc.sql("UPDATE mesh_nodes SET endpoint = NULL WHERE id IN (?, ?)")
                .params(a.nodeId(), b.nodeId())
                .update();
        assertThat(a.api().get(a.peersPath()).status()).isEqualTo(200);
        assertThat(b.api().get(b.peersPath()).status()).isEqualTo(200);
        assertThat(health(network, a)).as("just joined: too early to tell").isEqualTo("green");

        jdbc.sql("UPDATE mesh_nodes SET joined_at = ? WHERE id IN (?, ?)")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10), a.nodeId(), b.nodeId())
                .update();
        JsonNode listed = api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes?search=" + a.address() + "&searchFields=address")
                .json()
                .get("rows")
                .get(0);
        assertThat(listed.get("health").asText()).isEqualTo("yellow");
        assertThat(listed.get("healthReason").asText())
                .isEqualTo("no handshake with any peer yet: this node and all its peers are behind NAT (none has an"
                        + " endpoint), and the network has no relay, so neither side can reach the other");
        JsonNode single = api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes/" + b.nodeId())
                .json();
        assertThat(single.get("health").asText()).isEqualTo("yellow");
        assertThat(single.get("healthReason").asText()).startsWith("no handshake with any peer yet: this node and all");

        Api.Response report = a.api()
                .post(
                        "/api/mesh/nodes/" + a.nodeId() + "/status",
                        Json.body(Map.of(
                                "peers",
                                List.of(Map.of(
                                        "publicKey",
                                        b.publicKey(),
                                        "lastHandshake",
                                        System.currentTimeMillis() / 1000 - 20)))));
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        assertThat(health(network, a)).as("its own report of a handshake").isEqualTo("green");
        assertThat(health(network, b)).as("reached by a").isEqualTo("green");
        JsonNode green = api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes/" + b.nodeId())
                .json();
        assertThat(green.get("healthReason").isNull()).isTrue();
        assertThat(green.get("lastHandshake").isNull()).isFalse();
    }

    /** Joins a host behind NAT (no endpoint) with a fresh token of {@code role}. */
    private Joined joinBehindNat(String network, String role, String hostname) {
        String key = publicKey();
        Api.Response joined = join(api, token(api, network, Map.of("role", role)), key, hostname, null);
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        return new Joined(
                joined.json().get("nodeId").asLong(),
                network,
                key,
                api.withToken(joined.json().get("nodeToken").asText()),
                joined.json());
    }

    private static JsonNode peerEntry(JsonNode peers, Joined peer) {
        for (JsonNode entry : peers) {
            if (entry.get("nodeId").asLong() == peer.nodeId()) {
                return entry;
            }
        }
        throw new AssertionError("no peer " + peer.nodeId() + " in " + peers);
    }

    /**
     * A relay joins (with an endpoint; refused without): nodes behind NAT see each other at the
     * relay's port for them, nodes with an endpoint stay direct, nobody sees the relay as a peer; the
     * relay's map holds each relayed pair once; a node that reports an endpoint leaves the relay; the
     * relay's removal takes the relayed endpoints away.
     */
    @Test
    void aRelayCarriesThePairsOfNodesBehindNat() {
        String network = createNetwork(api);
        Joined a = joinBehindNat(network, "auto", "nat-a");
        Joined b = joinBehindNat(network, "worker", "nat-b");
        Joined open = joinNew(api, network, "worker", "open");

        String relayToken = token(api, network, Map.of("role", "relay"));
        assertProblem(join(api, relayToken, publicKey(), "relay-1", null), 400, "a relay needs 'endpoint'");
        Api.Response joined = join(api, relayToken, publicKey(), "relay-1", "198.51.100.9:40000");
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        assertThat(joined.json().get("role").asText()).isEqualTo("relay");
        Joined relay = new Joined(
                joined.json().get("nodeId").asLong(),
                network,
                null,
                api.withToken(joined.json().get("nodeToken").asText()),
                joined.json());

        JsonNode aPeers = a.api().get(a.peersPath()).json().get("peers");
        assertThat(aPeers).as("the relay is nobody's peer").hasSize(2);
        String aToB = peerEntry(aPeers, b).get("endpoint").asText();
        assertThat(aToB).matches("198\\.51\\.100\\.9:400\\d\\d");
        assertThat(peerEntry(aPeers, open).get("endpoint").asText())
                .as("direct")
                .startsWith("203.0.113.");
        JsonNode bPeers = b.api().get(b.peersPath()).json().get("peers");
        String bToA = peerEntry(bPeers, a).get("endpoint").asText();
        assertThat(bToA).matches("198\\.51\\.100\\.9:400\\d\\d").isNotEqualTo(aToB);
        JsonNode openPeers = open.api().get(open.peersPath()).json().get("peers");
        assertThat(peerEntry(openPeers, a).get("endpoint").isNull())
                .as("a node with an endpoint waits for a to reach it, as before")
                .isTrue();

        Api.Response map = relay.api().get("/api/mesh/nodes/" + relay.nodeId() + "/relay");
        assertThat(map.status()).as(map.toString()).isEqualTo(200);
        JsonNode pairs = map.json().get("pairs");
        assertThat(pairs).hasSize(1);
        JsonNode pair = pairs.get(0);
        assertThat(pair.get("keyA").asText()).isEqualTo(a.publicKey());
        assertThat(pair.get("keyB").asText()).isEqualTo(b.publicKey());
        assertThat("198.51.100.9:" + pair.get("portA").asInt()).isEqualTo(aToB);
        assertThat("198.51.100.9:" + pair.get("portB").asInt()).isEqualTo(bToA);
        assertProblem(a.api().get("/api/mesh/nodes/" + a.nodeId() + "/relay"), 403, "not a relay");
        long version = map.json().get("version").asLong();
        assertThat(relay.api()
                        .get("/api/mesh/nodes/" + relay.nodeId() + "/relay?since=" + version + "&wait=1s")
                        .status())
                .isEqualTo(204);

        // b reports an endpoint: reachable now, its pair leaves the relay, and a learns it.
        long aVersion = a.api().get(a.peersPath()).json().get("version").asLong();
        Api.Response reported = b.api()
                .post("/api/mesh/nodes/" + b.nodeId() + "/status", Json.body(Map.of("endpoint", "192.0.2.7:51820")));
        assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
        JsonNode delta = a.api().get(a.peersPath() + "?since=" + aVersion).json();
        assertThat(peerEntry(delta.get("updated"), b).get("endpoint").asText()).isEqualTo("192.0.2.7:51820");
        assertThat(relay.api()
                        .get("/api/mesh/nodes/" + relay.nodeId() + "/relay?since=" + version + "&wait=1s")
                        .json()
                        .get("pairs"))
                .isEmpty();
        JsonNode bDelta = b.api().get(b.peersPath() + "?since=" + aVersion).json();
        assertThat(peerEntry(bDelta.get("updated"), a).get("endpoint").isNull())
                .as("b waits for a to reach it now")
                .isTrue();

        // A third node behind NAT, then the relay goes: c loses its relayed endpoints.
        Joined c = joinBehindNat(network, "worker", "nat-c");
        assertThat(peerEntry(c.answer().get("peers"), a).get("endpoint").asText())
                .startsWith("198.51.100.9:");
        long cVersion = c.answer().get("version").asLong();
        assertThat(api.asOperator()
                        .delete("/api/mesh/networks/" + network + "/nodes/" + relay.nodeId())
                        .status())
                .isEqualTo(204);
        JsonNode cDelta = c.api().get(c.peersPath() + "?since=" + cVersion).json();
        assertThat(peerEntry(cDelta.get("updated"), a).get("endpoint").isNull()).isTrue();
        assertThat(ids(cDelta.get("removed"))).contains(relay.nodeId());
    }

    @Test
    void nodesWhoseNatKeepsOneMappingAreGivenEachOthersCandidatesAndPathsAreShown() {
        String network = createNetwork(api);
        Joined a = joinBehindNat(network, "auto", "cand-a");
        Joined b = joinBehindNat(network, "worker", "cand-b");
        Joined c = joinBehindNat(network, "worker", "cand-c");
        String relayToken = token(api, network, Map.of("role", "relay"));
        Api.Response joined = join(api, relayToken, publicKey(), "relay-c", "198.51.100.9:40000");
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        long relayId = joined.json().get("nodeId").asLong();
        Api relayApi = api.withToken(joined.json().get("nodeToken").asText());
        String relayStatus = "/api/mesh/nodes/" + relayId + "/status";

        JsonNode pairs =
                relayApi.get("/api/mesh/nodes/" + relayId + "/relay").json().get("pairs");
        assertThat(pairs).hasSize(3);
        // Where the relay saw each node: a and b at one mapping on every port, c at another port each time.
        List<Map<String, Object>> observed = new java.util.ArrayList<>();
        Map<String, Integer> cPorts = new java.util.HashMap<>();
        for (JsonNode pair : pairs) {
            for (String side : List.of("A", "B")) {
                String key = pair.get("key" + side).asText();
                int port = pair.get("port" + side).asInt();
                String at = key.equals(a.publicKey())
                        ? "192.0.2.1:51820"
                        : key.equals(b.publicKey())
                                ? "192.0.2.2:51820"
                                : "192.0.2.3:" + (30_000 + cPorts.merge(key, 1, Integer::sum));
                observed.add(Map.of("port", port, "endpoint", at));
            }
        }
        for (Joined node : List.of(a, b, c)) {
            Api.Response told = node.api()
                    .post("/api/mesh/nodes/" + node.nodeId() + "/status", Json.body(Map.of("directPaths", true)));
            assertThat(told.status()).as(told.toString()).isEqualTo(200);
        }
        long before = a.api().get(a.peersPath()).json().get("version").asLong();
        Api.Response reported = relayApi.post(relayStatus, Json.body(Map.of("observed", observed)));
        assertThat(reported.status()).as(reported.toString()).isEqualTo(200);

        JsonNode delta = a.api().get(a.peersPath() + "?since=" + before).json();
        JsonNode bAsA = peerEntry(delta.get("updated"), b);
        assertThat(bAsA.get("candidate").asText()).isEqualTo("192.0.2.2:51820");
        assertThat(bAsA.get("relayed").asBoolean()).isTrue();
        JsonNode peersOfB = b.api().get(b.peersPath()).json().get("peers");
        assertThat(peerEntry(peersOfB, a).get("candidate").asText()).isEqualTo("192.0.2.1:51820");
        assertThat(peerEntry(peersOfB, c).get("candidate").isNull())
                .as("c's NAT maps per destination: no candidate")
                .isTrue();
        JsonNode peersOfC = c.api().get(c.peersPath()).json().get("peers");
        assertThat(peerEntry(peersOfC, a).get("candidate").isNull())
                .as("nor does c get any, its own mapping being unknown")
                .isTrue();

        // b reports its paths: direct to a at a's mapping, relayed to c at the relay's port.
        String bToC = peerEntry(peersOfB, c).get("endpoint").asText();
        long now = java.time.Instant.now().getEpochSecond();
        Api.Response paths = b.api()
                .post(
                        "/api/mesh/nodes/" + b.nodeId() + "/status",
                        Json.body(Map.of(
                                "peers",
                                List.of(
                                        Map.of(
                                                "publicKey",
                                                a.publicKey(),
                                                "lastHandshake",
                                                now,
                                                "endpoint",
                                                "192.0.2.1:51820",
                                                "rttMillis",
                                                1.25),
                                        Map.of("publicKey", c.publicKey(), "lastHandshake", now, "endpoint", bToC)))));
        assertThat(paths.status()).as(paths.toString()).isEqualTo(200);
        JsonNode row = api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes?search=cand-b&searchFields=hostname")
                .json()
                .get("rows")
                .get(0);
        JsonNode toA = pathTo(row.get("paths"), a);
        assertThat(toA.get("path").asText()).isEqualTo("direct");
        assertThat(toA.get("endpoint").asText()).isEqualTo("192.0.2.1:51820");
        assertThat(toA.get("rttMillis").asDouble()).isEqualTo(1.25);
        JsonNode toC = pathTo(row.get("paths"), c);
        assertThat(toC.get("path").asText()).isEqualTo("relayed");
        assertThat(toC.get("viaRelayHostname").asText()).isEqualTo("relay-c");
        JsonNode detail = api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes/" + b.nodeId())
                .json();
        assertThat(pathTo(detail.get("paths"), c).get("viaRelay").asLong()).isEqualTo(relayId);

        // a's agent stops trying (a shell agent now): nobody is given a's candidate any more.
        long version = b.api().get(b.peersPath()).json().get("version").asLong();
        a.api().post("/api/mesh/nodes/" + a.nodeId() + "/status", Json.body(Map.of("directPaths", false)));
        JsonNode after = b.api().get(b.peersPath() + "?since=" + version).json();
        assertThat(peerEntry(after.get("updated"), a).get("candidate").isNull()).isTrue();

        assertProblem(
                a.api()
                        .post(
                                "/api/mesh/nodes/" + a.nodeId() + "/status",
                                Json.body(
                                        Map.of("observed", List.of(Map.of("port", 40001, "endpoint", "192.0.2.1:1"))))),
                403,
                "only a relay reports 'observed'");
        assertProblem(
                relayApi.post(relayStatus, Json.body(Map.of("observed", List.of(Map.of("port", 0, "endpoint", "x"))))),
                400,
                "'observed[0]' must be");
        assertProblem(
                relayApi.post(
                        relayStatus,
                        Json.body(Map.of("observed", List.of(Map.of("port", 40001, "endpoint", "192.0.2.1"))))),
                400,
                "'observed[0].endpoint' must be ip:port");
        assertProblem(
                b.api()
                        .post(
                                "/api/mesh/nodes/" + b.nodeId() + "/status",
                                Json.body(
                                        Map.of("peers", List.of(Map.of("publicKey", a.publicKey(), "rttMillis", -1))))),
                400,
                "'peers[0].rttMillis' must be milliseconds");
    }

    @Test
    void aRelaySilentForTheTimeoutIsDownAndItsPairsMoveToTheNextRelayAndBack() {
        String network = createNetwork(api);
        Joined a = joinBehindNat(network, "auto", "fo-a");
        Joined b = joinBehindNat(network, "worker", "fo-b");
        String token1 = token(api, network, Map.of("role", "relay"));
        Api.Response first = join(api, token1, publicKey(), "relay-1", "198.51.100.9:40000");
        String token2 = token(api, network, Map.of("role", "relay"));
        Api.Response second = join(api, token2, publicKey(), "relay-2", "198.51.100.10:41000");
        assertThat(List.of(first.status(), second.status())).containsExactly(201, 201);
        long relay1 = first.json().get("nodeId").asLong();
        Api relay2 = api.withToken(second.json().get("nodeToken").asText());
        String relay2Status = "/api/mesh/nodes/" + second.json().get("nodeId").asLong() + "/status";
        assertThat(relay2.post(relay2Status, Json.body(Map.of())).status()).isEqualTo(200);

        JsonNode map = a.api().get(a.peersPath()).json();
        assertThat(peerEntry(map.get("peers"), b).get("endpoint").asText()).startsWith("198.51.100.9:");

        // relay 1 last reported a minute ago: down within a second or two, its pairs at relay 2's ports.
        jdbc.sql("UPDATE mesh_nodes SET last_contact = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1), relay1)
                .update();
        long version = map.get("version").asLong();
        JsonNode moved =
                a.api().get(a.peersPath() + "?since=" + version + "&wait=10s").json();
        assertThat(peerEntry(moved.get("updated"), b).get("endpoint").asText()).startsWith("198.51.100.10:41");

        // relay 1 reports again: up, and the pairs go back to it.
        Api relay1Api = api.withToken(first.json().get("nodeToken").asText());
        assertThat(relay1Api
                        .post("/api/mesh/nodes/" + relay1 + "/status", Json.body(Map.of()))
                        .status())
                .isEqualTo(200);
        relay2.post(relay2Status, Json.body(Map.of()));
        JsonNode back = a.api()
                .get(a.peersPath() + "?since=" + moved.get("version").asLong() + "&wait=10s")
                .json();
        assertThat(peerEntry(back.get("updated"), b).get("endpoint").asText()).startsWith("198.51.100.9:");
    }

    /**
     * Agents report their round trips to the network's relays: a pair goes through the relay nearest
     * to both its nodes, keeps it until another is clearly nearer, leaves at once one that stops
     * answering either node, and, when its relay goes down, goes through the nearest that is up.
     */
    @Test
    void pairsGoThroughTheRelayNearestToBothNodes() {
        String network = createNetwork(api);
        Joined a = joinBehindNat(network, "auto", "near-a");
        Joined b = joinBehindNat(network, "worker", "near-b");
        String[] endpoints = {"198.51.100.9:40000", "198.51.100.10:41000", "198.51.100.11:42000"};
        long[] relayIds = new long[3];
        Api[] relayApis = new Api[3];
        for (int i = 0; i < 3; i++) {
            Api.Response joined =
                    join(api, token(api, network, Map.of("role", "relay")), publicKey(), "relay-" + i, endpoints[i]);
            assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
            relayIds[i] = joined.json().get("nodeId").asLong();
            relayApis[i] = api.withToken(joined.json().get("nodeToken").asText());
        }
        Runnable relaysReport = () -> {
            for (int i = 0; i < 3; i++) {
                relayApis[i].post("/api/mesh/nodes/" + relayIds[i] + "/status", Json.body(Map.of()));
            }
        };
        relaysReport.run();
        Joined c = joinBehindNat(network, "worker", "near-c");
        assertThat(c.answer().get("relays"))
                .as("the join answer names the relays to probe")
                .hasSize(3);
        assertThat(c.answer().get("relays").get(1).get("endpoint").asText()).isEqualTo(endpoints[1]);
        assertThat(c.answer().get("relays").get(1).get("up").asBoolean()).isTrue();

        JsonNode map = a.api().get(a.peersPath()).json();
        assertThat(map.get("relays")).hasSize(3);
        assertThat(peerEntry(map.get("peers"), b).get("endpoint").asText())
                .as("nothing measured yet: the lowest relay")
                .startsWith("198.51.100.9:");

        // a and b are both nearest to relay 1 (index 1): the pair moves there, as both see.
        report(a, relayIds, 30.0, 5.0, 20.0);
        long version = map.get("version").asLong();
        JsonNode moved =
                a.api().get(a.peersPath() + "?since=" + version + "&wait=5s").json();
        assertThat(peerEntry(moved.get("updated"), b).get("endpoint").asText()).startsWith("198.51.100.10:41");
        report(b, relayIds, 30.0, 5.0, 20.0); // no move: it is there already
        JsonNode bMap = b.api().get(b.peersPath()).json();
        assertThat(peerEntry(bMap.get("peers"), a).get("endpoint").asText()).startsWith("198.51.100.10:41");
        assertThat(peerEntry(bMap.get("peers"), c).get("endpoint").asText())
                .as("c measured nothing: b's measurements decide its pairs")
                .startsWith("198.51.100.10:41");
        JsonNode detail = api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes/" + a.nodeId())
                .json();
        assertThat(detail.get("relays")).hasSize(3);
        assertThat(detail.get("relays").get(1).get("rttMillis").asDouble()).isEqualTo(5.0);
        assertThat(detail.get("relays").get(1).get("hostname").asText()).isEqualTo("relay-1");

        // relay 0 is a little nearer now (10 against 11 for the pair): not clearly, so no move.
        long before = a.api().get(a.peersPath()).json().get("version").asLong();
        report(a, relayIds, 5.0, 5.5, 20.0);
        report(b, relayIds, 5.0, 5.5, 20.0);
        JsonNode stays = a.api().get(a.peersPath()).json();
        assertThat(peerEntry(stays.get("peers"), b).get("endpoint").asText()).startsWith("198.51.100.10:41");
        assertThat(stays.get("version").asLong())
                .as("nothing moved, nothing changed")
                .isEqualTo(before);

        // relay 1 stops answering a: the pair leaves it at once, for the nearest that answers.
        report(a, relayIds, 5.0, null, 20.0);
        JsonNode left = a.api().get(a.peersPath()).json();
        assertThat(peerEntry(left.get("peers"), b).get("endpoint").asText()).startsWith("198.51.100.9:40");

        // relay 0 goes down (silent): the pair goes through the nearest relay that is up and answers.
        relaysReport.run();
        jdbc.sql("UPDATE mesh_nodes SET last_contact = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1), relayIds[0])
                .update();
        JsonNode down = a.api()
                .get(a.peersPath() + "?since=" + left.get("version").asLong() + "&wait=10s")
                .json();
        assertThat(down.get("relays").get(0).get("up").asBoolean()).isFalse();
        assertThat(peerEntry(down.get("updated"), b).get("endpoint").asText())
                .as("relay 1 does not answer a: relay 2")
                .startsWith("198.51.100.11:42");

        String status = "/api/mesh/nodes/" + a.nodeId() + "/status";
        assertProblem(
                a.api().post(status, Json.body(Map.of("relays", List.of(Map.of("nodeId", b.nodeId()))))),
                400,
                "'relays[0].nodeId' " + b.nodeId() + " is no relay of this network");
        assertProblem(
                a.api().post(status, Json.body(Map.of("relays", List.of(Map.of("rttMillis", 1))))),
                400,
                "'relays[0]' must be");
        assertProblem(
                a.api()
                        .post(
                                status,
                                Json.body(Map.of(
                                        "relays",
                                        List.of(
                                                Map.of("nodeId", relayIds[0], "rttMillis", 1),
                                                Map.of("nodeId", relayIds[0], "rttMillis", 2))))),
                400,
                "names relay " + relayIds[0] + " a second time");
        assertProblem(
                a.api()
                        .post(
                                status,
                                Json.body(Map.of("relays", List.of(Map.of("nodeId", relayIds[0], "rttMillis", -3))))),
                400,
                "'relays[0].rttMillis' must be milliseconds");
        assertProblem(
                relayApis[1].post(
                        "/api/mesh/nodes/" + relayIds[1] + "/status",
                        Json.body(Map.of("relays", List.of(Map.of("nodeId", relayIds[0], "rttMillis", 1))))),
                400,
                "a relay reports no 'relays'");
    }

    /** {@code node} reports its round trips to the three relays (null: no answer). */
    private static void report(Joined node, long[] relayIds, Double... millis) {
        List<Map<String, Object>> relays = new java.util.ArrayList<>();
        for (int i = 0; i < relayIds.length; i++) {
            Map<String, Object> entry = new java.util.HashMap<>();
            entry.put("nodeId", relayIds[i]);
            entry.put("rttMillis", millis[i]);
            relays.add(entry);
        }
        Api.Response reported =
                node.api().post("/api/mesh/nodes/" + node.nodeId() + "/status", Json.body(Map.of("relays", relays)));
        assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
    }

    private static JsonNode pathTo(JsonNode paths, Joined peer) {
        for (JsonNode path : paths) {
            if (path.get("nodeId").asLong() == peer.nodeId()) {
                return path;
            }
        }
        throw new AssertionError("no path to node " + peer.nodeId() + " in " + paths);
    }

    private String health(String network, Joined node) {
        return api.asOperator()
                .get("/api/mesh/networks/" + network + "/nodes?search=" + node.address() + "&searchFields=address")
                .json()
                .get("rows")
                .get(0)
                .get("health")
                .asText();
    }

    @Test
    void onlyAMasterUploadsTheKubeconfigAndOnlyOperatorsReadIt() {
        String network = createNetwork(api);
        Joined master = joinNew(api, network, "auto", "master");
        Joined worker = joinNew(api, network, "auto", "worker");
        Joined bridge = joinNew(api, network, "bridge", "laptop");
        String path = "/api/mesh/networks/" + network + "/kubeconfig";

        assertProblem(api.asOperator().get(path), 404, "no kubeconfig yet");
        assertProblem(worker.api().put(path, KUBECONFIG), 403, "only a master node", "is a worker");
        assertProblem(bridge.api().put(path, KUBECONFIG), 403, "is a bridge");
        assertProblem(api.asOperator().put(path, KUBECONFIG), 403, "master node");
        assertProblem(api.put(path, KUBECONFIG), 401);
        assertProblem(master.api().put(path, "  "), 400, "the kubeconfig itself");
        assertProblem(master.api().put(path, new byte[] {'a', (byte) 0xff, 'b'}), 400, "'kubeconfig' is not UTF-8");
        String other = createNetwork(api);
        assertProblem(
                master.api().put("/api/mesh/networks/" + other + "/kubeconfig", KUBECONFIG), 403, "not '" + other);

        Api.Response uploaded = master.api().put(path, KUBECONFIG);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        assertThat(uploaded.json().get("uploadedBy").asLong()).isEqualTo(master.nodeId());
        assertThat(uploaded.json().get("length").asInt()).isEqualTo(KUBECONFIG.length());
        for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain", "application/yaml"}) {
            Api.Response asCurlSends = master.api()
                    .send(master.api()
                            .builder(path)
                            .header("Content-Type", type)
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(KUBECONFIG)));
            assertThat(asCurlSends.status()).as(type + ": " + asCurlSends).isEqualTo(200);
            assertThat(api.asOperator().get(path).body()).as(type).isEqualTo(KUBECONFIG);
        }

        Api.Response read = api.asOperator().get(path);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.contentType()).startsWith("text/plain");
        assertThat(read.body()).isEqualTo(KUBECONFIG);
        assertThat(api.asOperator()
                        .get("/api/mesh/networks/" + network)
                        .json()
                        .get("kubeconfigUploadedBy")
                        .asLong())
                .isEqualTo(master.nodeId());
        assertProblem(master.api().get(path), 403);
        assertProblem(worker.api().get(path), 403);
        assertProblem(api.get(path), 401);

        Joined late = joinNew(api, network, "auto", "late");
        assertThat(late.answer().toString()).doesNotContain("kind: Config");
        assertThat(worker.api().get(worker.peersPath()).body()).doesNotContain("kind: Config");
    }

    @Test
    void nodeTokensReachOnlyTheirOwnNodesEndpoints() {
        String network = createNetwork(api);
        Joined a = joinNew(api, network, "auto", "a");
        Joined b = joinNew(api, network, "auto", "b");

        assertProblem(api.get(a.peersPath()), 401, "node token from the join answer");
        assertProblem(api.asOperator().get(a.peersPath()), 403);
        assertProblem(b.api().get(a.peersPath()), 403, "belongs to node " + b.nodeId());
        assertProblem(b.api().post("/api/mesh/nodes/" + a.nodeId() + "/status", "{}"), 403);
        assertProblem(a.api().get("/api/mesh/networks"), 403);
        assertProblem(a.api().get("/api/mesh/networks/" + network + "/nodes"), 403);
        assertProblem(a.api().post("/api/mesh/networks/" + network + "/tokens", "{}"), 403);
        assertProblem(a.api().delete("/api/mesh/networks/" + network + "/nodes/" + b.nodeId()), 403);
        assertProblem(api.withToken("cpn_aaaaaaaa_" + "a".repeat(40)).get(a.peersPath()), 401, "mesh node token");
        assertProblem(api.get("/api/mesh/networks"), 401, "operator token");

        assertThat(api.asOperator().delete("/api/mesh/networks/" + network).status())
                .isEqualTo(204);
        assertProblem(a.api().get(a.peersPath()), 401, "network deleted");
    }

    @Test
    void shellAgentGetsPlainTextJoinAnswersAndWgPeerSections() {
        String network = createNetwork(api);
        Joined first = joinNew(api, network, "worker", "plain-1");
        String key = publicKey();
        Api.Response joined = api.withHeader("Accept", "text/plain")
                .post(
                        "/api/mesh/join",
                        Json.body(joinRequest(token(api, network, Map.of()), key, "plain-2", "10.9.8.7:51820")));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        assertThat(joined.contentType()).startsWith("text/plain");
        java.util.Map<String, String> answer = new java.util.HashMap<>();
        joined.body().lines().forEach(l -> answer.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertThat(answer).containsKeys("nodeId", "address", "nodeSubnet", "listenPort", "version");
        assertThat(answer.get("nodeToken")).startsWith("cpn_");
        assertThat(answer.get("networkId")).isEqualTo(network);

        Api node = api.withToken(answer.get("nodeToken")).withHeader("Accept", "text/plain");
        String path = "/api/mesh/nodes/" + answer.get("nodeId") + "/peers";
        Api.Response full = node.get(path);
        assertThat(full.status()).as(full.toString()).isEqualTo(200);
        assertThat(full.body())
                .startsWith("# version " + answer.get("version") + "\n")
                .contains("[Peer]\n# node " + first.nodeId() + " plain-1\nPublicKey = " + first.publicKey() + "\n")
                .contains("AllowedIPs = " + first.address() + "/128")
                .contains("Endpoint = 203.0.113.")
                .contains("PersistentKeepalive = 25");
        assertThat(node.get(path + "?since=" + answer.get("version") + "&wait=1s")
                        .status())
                .isEqualTo(204);

        Joined third = joinNew(api, network, "worker", "plain-3");
        Api.Response changed = node.get(path + "?since=" + answer.get("version") + "&wait=5s");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).contains(first.publicKey()).contains(third.publicKey());
        assertThat(api.get("/mesh/agent.sh").body())
                .startsWith("#!/bin/sh")
                .contains("server='" + api.base().toString().replaceAll("/$", "") + "'")
                .contains("wg syncconf");
        assertThat(first.api().getJson(first.peersPath()).json().get("full").asBoolean())
                .isTrue();
    }
}
