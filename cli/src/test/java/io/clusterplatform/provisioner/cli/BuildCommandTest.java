package io.clusterplatform.provisioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code provisioner build ...} against a real server that really builds. */
class BuildCommandTest {
    @org.junit.jupiter.api.io.TempDir
    static Path classDataDir;

    private static final String TOKEN = CliTestServer.TOKEN;
    private static final String SHA256 = "[0-9a-f]{64}";
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

    /** Runs the command against the test server as the operator. */
    private static CliTestServer.Run run(String... args) {
        return CliTestServer.run(Stream.concat(Arrays.stream(args), Stream.of("--server", url, "--token", TOKEN))
                .toArray(String[]::new));
    }

    @Test
    void syslinuxFragmentWaitPrintsItsUrlAndSha256() {
        CliTestServer.Run run = run("build", "syslinux", "--fragment", "isolinux.bin", "--wait");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("http://").endsWith("/isolinux.bin");
        assertThat(lines.get(1)).matches("isolinux\\.bin\\s+[1-9][0-9]*\\s+" + SHA256);
    }

    @Test
    void isoFromAScriptWaitsWithAProgressBarToTheDownload() throws Exception {
        Path script = Files.createTempFile("cli-test-", ".ipxe");
        Files.writeString(script, "#!ipxe\nshell\n");
        CliTestServer.Run run =
                run("build", "iso", "--label", "CLI-TEST", "--script-file", script.toString(), "--wait");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow()).endsWith("/dist.iso");
        assertThat(run.out()).containsPattern("(?m)^dist\\.iso\\s+[1-9][0-9]*\\s+" + SHA256 + "$");
        List<String> progress = run.err().lines().toList();
        assertThat(progress)
                .isNotEmpty()
                .doesNotHaveDuplicates()
                .allMatch(l -> l.matches("\\[[#.]{20}\\] {0,3}\\d{1,3}%.*"));
        assertThat(progress.getLast()).startsWith("[####################] 100%");
        assertThat(run.err()).doesNotContain("\r");
    }

    @Test
    void withoutWaitPrintsTheIdAndStatusAndWaitFollowsIt() {
        CliTestServer.Run queued = run("build", "iso", "--label", "CLI-TEST", "--script", "#!ipxe");
        assertThat(queued.exitCode()).as(queued.err()).isZero();
        assertThat(queued.out().trim()).matches("iso \\d+ (queued|working|done)");
        String id = queued.out().trim().split(" ")[1];

        CliTestServer.Run waited = run("build", "wait", "iso", id);
        assertThat(waited.exitCode()).as(waited.err()).isZero();
        assertThat(waited.out().lines().findFirst().orElseThrow()).endsWith("/dist.iso");
        assertThat(waited.err()).contains("100%");

        CliTestServer.Run shown = run("build", "show", "iso", id);
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.out()).contains("status:   done", "progress: 100%").containsPattern("dist\\.iso\\s+\\d+");
    }

    @Test
    void anInvalidRequestPrintsTheServersProblemDetail() {
        CliTestServer.Run run = run(
                "build", "ipxe", "--platform", "bin-i386-efi", "--extension", "efi", "--script", "#!ipxe", "--wait");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("400", "bin-x86_64-efi", "bin-x86_64-pcbios");
    }

    @Test
    void showOfAnUnknownBuildIsThe404Detail() {
        CliTestServer.Run run = run("build", "show", "grub", "987654");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("404", "987654 does not exist");
    }

    @Test
    void anUnknownMainscriptIsTheServersDetail() {
        CliTestServer.Run run = run("build", "iso", "--label", "CLI-TEST", "--mainscript-id", "987654", "--wait");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("400", "mainscript 987654 does not exist");
    }

    @Test
    void waitingForABuildThatFailsExitsOneWithItsError() {
        long id = new ApiClient(URI.create(url), TOKEN)
                .post(
                        "/api/isos",
                        Map.of("label", "CLI-TEST", "script", "#!ipxe", "isolinuxBinUrl", url + "/no/such/fragment"))
                .get("id")
                .asLong();
        CliTestServer.Run run = run("build", "wait", "iso", String.valueOf(id));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error: iso " + id + " failed: ");
    }

    @Test
    void scriptSourcesAreExclusive() {
        CliTestServer.Run run = run("build", "iso", "--label", "X", "--script", "#!ipxe", "--mainscript-id", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }

    @Test
    void progressBarFillsWithThePercentage() {
        assertThat(BuildCommand.ProgressBar.line(45, "writing the image with xorriso"))
                .isEqualTo("[#########...........]  45%  writing the image with xorriso");
        StringWriter err = new StringWriter();
        BuildCommand.ProgressBar bar = new BuildCommand.ProgressBar(new PrintWriter(err), true);
        bar.show(10, "a long message");
        bar.show(10, "a long message");
        bar.show(50, "short");
        bar.end();
        assertThat(err.toString())
                .isEqualTo("\r" + BuildCommand.ProgressBar.line(10, "a long message")
                        + "\r" + BuildCommand.ProgressBar.line(50, "short") + " ".repeat(9)
                        + System.lineSeparator());
    }
}
