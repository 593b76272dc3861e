package io.clusterplatform.provisioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code provisioner nodes} against a real server; the test takes the distributor's part through its
 * API (the SSH part is the lab's and the agent's to test).
 */
class NodesCommandTest {
    @org.junit.jupiter.api.io.TempDir
    static Path dataDir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static CliTestServer server;
    private static String url;

    private String site;
    private String agentToken;
    private long distributorId;
    private long nodeId;

    @BeforeAll
    static void startServer() {
        server = CliTestServer.start(dataDir);
        url = server.url();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void siteWithDistributorNodeAndKey() throws Exception {
        site = "cli-" + UUID.randomUUID() + ".example";
        agentToken = call("POST", "/api/distributors/tokens", CliTestServer.TOKEN, "{\"artifactId\":\"" + site + "\"}")
                .get("token")
                .asText();
        distributorId = call(
                        "POST", "/api/distributors/register", agentToken, "{\"hostname\":\"d1\",\"version\":\"t\"}")
                .get("id")
                .asLong();
        nodeId = call("POST", "/api/localnodes?ip=10.1.2.3&artifactId=" + site + "&pingable=true", null, "")
                .get("id")
                .asLong();
        String privateKey = call("GET", "/api/sshkey?algorithm=ed25519", CliTestServer.TOKEN, null)
                .get("privateKey")
                .asText();
        call(
                "POST",
                "/api/sshkeys",
                CliTestServer.TOKEN,
                JSON.createObjectNode()
                        .put("text", privateKey)
                        .put("artifactId", site)
                        .put("private", true)
                        .toString());
    }

    private static CliTestServer.Run nodes(String... args) {
        String[] full = new String[args.length + 5];
        full[0] = "nodes";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--server";
        full[args.length + 2] = url;
        full[args.length + 3] = "--token";
        full[args.length + 4] = CliTestServer.TOKEN;
        return CliTestServer.run(full);
    }

    /** Plays the distributor: takes the next run, sends its output and ends it. */
    private void agentRuns(String stdout, String stderr, String result) throws Exception {
        JsonNode command = call("GET", "/api/distributors/" + distributorId + "/commands?wait=20s", agentToken, null);
        long runId = command.get("payload").get("runId").asLong();
        String run = "/api/distributors/" + distributorId + "/scriptruns/" + runId;
        call("GET", run, agentToken, null);
        call("POST", run + "/output", agentToken, chunk("stdout", stdout));
        call("POST", run + "/output", agentToken, chunk("stderr", stderr));
        call("POST", run + "/result", agentToken, result);
        call(
                "POST",
                "/api/distributors/" + distributorId + "/commands/"
                        + command.get("id").asLong() + "/result",
                agentToken,
                "{\"ok\": true, \"output\": \"run started\"}");
    }

    private static String chunk(String stream, String text) {
        return JSON.createObjectNode()
                .put("stream", stream)
                .put("offset", 0)
                .put("text", text)
                .toString();
    }

    @Test
    void runPrintsTheOutputAndExitsWithTheScriptsExitCode() throws Exception {
        CompletableFuture<CliTestServer.Run> run = CompletableFuture.supplyAsync(
                () -> nodes("run", String.valueOf(nodeId), "--script", "echo hello; exit 3"));

        agentRuns("hello\n", "warn\n", "{\"exitCode\": 3}");

        CliTestServer.Run done = run.get(60, TimeUnit.SECONDS);
        assertThat(done.exitCode()).as(done.err()).isEqualTo(3);
        assertThat(done.out()).isEqualTo("hello\n");
        assertThat(done.err()).isEqualTo("warn\n");
    }

    @Test
    void aRunThatCouldNotRunExitsWith255AndSaysWhy() throws Exception {
        CompletableFuture<CliTestServer.Run> run =
                CompletableFuture.supplyAsync(() -> nodes("run", String.valueOf(nodeId), "--script", "id"));

        agentRuns("", "", "{\"error\": \"cannot connect to 10.1.2.3:22: Connection refused\"}");

        CliTestServer.Run done = run.get(60, TimeUnit.SECONDS);
        assertThat(done.exitCode()).isEqualTo(255);
        assertThat(done.err()).contains("failed: cannot connect to 10.1.2.3:22: Connection refused");
    }

    @Test
    void listAndShowTheNodes() {
        CliTestServer.Run list = nodes("list", "--artifact-id", site);
        CliTestServer.Run show = nodes("show", String.valueOf(nodeId));
        CliTestServer.Run missing = nodes("show", "999999999");
        CliTestServer.Run noScript = nodes("run", String.valueOf(nodeId));

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("IP", "HEALTH", "10.1.2.3", site);
        assertThat(show.out()).contains("ip:", "10.1.2.3", "hostKey:");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("the server answered 404");
        assertThat(noScript.exitCode()).isEqualTo(2);
        assertThat(noScript.err()).contains("--script");
    }

    private static JsonNode call(String method, String path, String token, String body) throws Exception {
        boolean hasBody = body != null && !body.isEmpty();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .method(
                        method,
                        hasBody ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        if (hasBody) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isLessThan(300);
        return JSON.readTree(response.body());
    }
}
