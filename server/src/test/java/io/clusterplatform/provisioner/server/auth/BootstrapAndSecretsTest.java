package io.clusterplatform.provisioner.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The first start, the operator token, and secrets that must never reach logs or anonymous callers. */
@ExtendWith(OutputCaptureExtension.class)
class BootstrapAndSecretsTest {
    private static final Pattern PRINTED_TOKEN = Pattern.compile("(?m)^    (cpp_[a-z2-7]{8}_[a-z2-7]{40})$");

    @Test
    void firstStartPrintsATokenOnceAndSavesItPrivately(@TempDir Path dataDir, CapturedOutput output) throws Exception {
        String token;
        try (StandaloneServer server = StandaloneServer.startWithoutBootstrapToken(dataDir)) {
            Matcher printed = PRINTED_TOKEN.matcher(output.getOut());
            assertThat(printed.find())
                    .as("the token is printed on the terminal")
                    .isTrue();
            token = printed.group(1);
            Path file = dataDir.resolve("operator-token");
            assertThat(Files.readString(file).trim()).isEqualTo(token);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(server.api().withToken(token).get("/api/tokens").status())
                    .isEqualTo(200);
        }
        int printedBefore = count(output.getOut(), token);
        try (StandaloneServer again = StandaloneServer.startWithoutBootstrapToken(dataDir)) {
            assertThat(again.api().withToken(token).get("/api/tokens").status())
                    .as("the token survives a restart")
                    .isEqualTo(200);
        }
        assertThat(count(output.getOut(), token))
                .as("a restart prints no token")
                .isEqualTo(printedBefore);
        assertThat(PRINTED_TOKEN.matcher(output.getOut()).results().count()).isEqualTo(1);
    }

    @Test
    void secretsNeverReachTheLogs(@TempDir Path dataDir, CapturedOutput output) throws Exception {
        String password = "kickstart-pw-" + System.nanoTime();
        String token;
        try (StandaloneServer server = StandaloneServer.startWithoutBootstrapToken(dataDir)) {
            token = Files.readString(dataDir.resolve("operator-token")).trim();
            Api operator = server.api().withToken(token);
            operator.post("/api/kickstarts", Json.body(Map.of("text", "rootpw --plaintext " + password + "\n")));
            operator.post("/api/mainscripts", "{\"text\": broken " + password + "}");
            operator.withToken("cpp_aaaaaaaa_" + "b".repeat(40)).get("/api/mainscripts");
            String created = operator.post("/api/tokens", Json.body(Map.of("name", "x")))
                    .json()
                    .get("token")
                    .asText();
            server.api().withToken(created).get("/api/kickstarts/1");
        }
        Path log = dataDir.resolve("logs/server.log");
        // The file appender may still be flushing what the stopped server logged last.
        org.awaitility.Awaitility.await("the server's log file")
                .atMost(io.clusterplatform.provisioner.core.testing.Timeouts.scaled(java.time.Duration.ofSeconds(10)))
                .until(() -> Files.isRegularFile(log) && Files.size(log) > 0);
        String logText = Files.readString(log);
        assertThat(logText)
                .isNotEmpty()
                .doesNotContain(token)
                .doesNotContain(password)
                .doesNotContain("cpp_aaaaaaaa_");
        // Everything after the printed banner, i.e. what went through the logger, holds no token either.
        String afterBanner = output.getOut().substring(output.getOut().indexOf(token) + token.length());
        assertThat(afterBanner.replace("Bearer " + token, "")).doesNotContain(token);
        assertThat(output.toString()).doesNotContain(password);

        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(log);
        for (String line : lines) {
            assertThat(json.readTree(line).has("message"))
                    .as("structured log line: %s", line)
                    .isTrue();
        }
    }

    @Test
    void bootEndpointsCanBeClosed(@TempDir Path dataDir) {
        try (StandaloneServer server = StandaloneServer.start(dataDir, "--provisioner.open-boot-endpoints=false")) {
            long id = server.api()
                    .asOperator()
                    .post("/api/mainscripts", Json.body(Map.of("text", "#!ipxe")))
                    .json()
                    .get("id")
                    .asLong();
            assertThat(server.api().get("/api/mainscripts/" + id).status()).isEqualTo(401);
            assertThat(server.api()
                            .post("/api/localnodes?ip=192.0.2.1&artifactId=a")
                            .status())
                    .isEqualTo(401);
            assertThat(server.api().asOperator().get("/api/mainscripts/" + id).status())
                    .isEqualTo(200);
        }
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
