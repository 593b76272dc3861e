package io.clusterplatform.provisioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provisioner command against a real server. */
class ProvisionerCommandTest {
    @org.junit.jupiter.api.io.TempDir
    static Path classDataDir;

    private static final String TOKEN = CliTestServer.TOKEN;
    private static CliTestServer server;
    private static String url;

    @BeforeAll
    static void startServer() {
        server = CliTestServer.start(classDataDir);
        url = server.url();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static CliTestServer.Run run(String... args) {
        return CliTestServer.run(args);
    }

    @Test
    void withoutArgumentsPrintsTheSubcommands() {
        CliTestServer.Run run = run();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: provisioner", "server", "token");
    }

    @Test
    void serverHelpShowsOptionsAndTheirEnvironmentVariables() {
        CliTestServer.Run run = run("server", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "--port",
                        "PROVISIONER_PORT",
                        "--data-dir",
                        "PROVISIONER_DATA_DIR",
                        "--database-url",
                        "PROVISIONER_DATABASE_URL");
    }

    @Test
    void distributorHelpShowsHowToRunTheAgent() {
        CliTestServer.Run run = run("distributor", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "--server",
                        "PROVISIONER_URL",
                        "--artifact-id",
                        "--token",
                        "PROVISIONER_DISTRIBUTOR_TOKEN",
                        "--token-file",
                        "--state-dir",
                        "CAP_NET_ADMIN");
    }

    @Test
    void distributorRefusesBadArgumentsBeforeConnecting(@org.junit.jupiter.api.io.TempDir Path dir) {
        String state = dir.resolve("state").toString();
        CliTestServer.Run noServer = run("distributor", "--artifact-id", "a", "--token", "t", "--state-dir", state);
        CliTestServer.Run badServer =
                run("distributor", "--server", "ftp://x", "--artifact-id", "a", "--token", "t", "--state-dir", state);
        CliTestServer.Run noToken = run("distributor", "--server", url, "--artifact-id", "a", "--state-dir", state);
        CliTestServer.Run badArtifact =
                run("distributor", "--server", url, "--artifact-id", "a b", "--token", "t", "--state-dir", state);

        assertThat(noServer.exitCode()).isEqualTo(2);
        assertThat(noServer.err()).contains("--server");
        assertThat(badServer.exitCode()).isEqualTo(2);
        assertThat(badServer.err()).contains("--server must be an http:// or https:// URL, got 'ftp://x'");
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).contains("a distributor token is required");
        assertThat(badArtifact.exitCode()).isEqualTo(2);
        assertThat(badArtifact.err()).contains("--artifact-id must be");
    }

    @Test
    void unknownOptionIsAnErrorWithUsage() {
        CliTestServer.Run run = run("server", "--prot", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown options: '--prot'", "Usage: provisioner server");
    }

    @Test
    void createsListsAndRevokesTokens() {
        CliTestServer.Run created = run("token", "create", "--name", "laptop", "--server", url, "--token", TOKEN);
        assertThat(created.exitCode()).as(created.err()).isZero();
        String token = created.out().trim();
        assertThat(token).matches("cpp_[a-z2-7]{8}_[a-z2-7]{40}");

        CliTestServer.Run listed = run("token", "list", "--server", url, "--token", token);
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out())
                .contains("laptop", token.substring(0, 12), "active")
                .doesNotContain(token);
        String id = listed.out()
                .lines()
                .filter(l -> l.contains("laptop"))
                .findFirst()
                .orElseThrow()
                .split("\\s+")[0];

        CliTestServer.Run revoked = run("token", "revoke", id, "--server", url, "--token", TOKEN);
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out()).contains("revoked token " + id);

        CliTestServer.Run refused = run("token", "list", "--server", url, "--token", token);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("401", "unknown or revoked");
    }

    @Test
    void readsTheTokenFileOfTheDataDirectory() throws Exception {
        Path dir = Files.createDirectories(classDataDir.resolve("token-dir"));
        Files.writeString(dir.resolve("operator-token"), TOKEN + "\n");
        CliTestServer.Run listed = run("token", "list", "--server", url, "--data-dir", dir.toString());
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("bootstrap");
    }

    @Test
    void saysWhenTheServerIsNotReachable() {
        CliTestServer.Run run = run("token", "list", "--server", "http://127.0.0.1:1", "--token", TOKEN);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach the provisioner server at http://127.0.0.1:1");
    }
}
