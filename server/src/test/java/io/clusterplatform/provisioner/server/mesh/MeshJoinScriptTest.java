package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The localnode join script, run by {@code /bin/sh} with a PATH made for each case: it names every
 * missing tool up front, needs no {@code nohup}, and succeeds only once the agent reported its first
 * status to the server (the agent leaves {@code reported} in its state directory then).
 */
class MeshJoinScriptTest {
    /** What the script needs besides the tools it checks; they come from this machine. */
    private static final List<String> BASICS = List.of("sh", "mkdir", "chmod", "rm", "sleep", "cat", "tail", "grep");

    @TempDir
    Path tmp;

    @Test
    void namesEveryMissingToolUpFrontAndTouchesNothing() throws Exception {
        Path bin = bin();
        link(bin, "ip", "/usr/bin/busybox");

        Run run = run(bin, 10);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("this node cannot join: curl is missing: install curl")
                .contains("this node cannot join: wg is missing: install wireguard-tools")
                .contains("is not iproute2's ip (busybox's applet cannot create WireGuard interfaces): install"
                        + " iproute2");
        assertThat(tmp.resolve("state")).doesNotExist();
    }

    @Test
    void anAgentThatStopsBeforeItsFirstReportFailsTheRunWithItsLog() throws Exception {
        Path bin = fakeTools(
                "echo nodeId=7 >\"${0%/*}/node.env\"; echo 'agent: RTNETLINK answers: not supported' >&2;" + " exit 1");

        Run run = run(bin, 10);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("the agent stopped (exit 1) before its first status report reached the server")
                .contains("agent: RTNETLINK answers: not supported");
        assertThat(run.stdout()).doesNotContain("nodeId=7");
    }

    @Test
    void succeedsOnceTheAgentsFirstReportReachedTheServer() throws Exception {
        Path bin = fakeTools("printf 'nodeId=7\\nnodeToken=cpn_secret\\naddress=fd00::7\\n' >\"${0%/*}/node.env\";"
                + " echo yes >\"${0%/*}/reported\"");

        Run run = run(bin, 10);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.stdout())
                .contains("nodeId=7")
                .contains("address=fd00::7")
                .doesNotContain("cpn_secret");
    }

    @Test
    void anAgentThatNeverReportsFailsAfterTheWait() throws Exception {
        Path bin = fakeTools("echo nodeId=7 >\"${0%/*}/node.env\"; sleep 3");

        Run run = run(bin, 1);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("first status report did not reach the server within 1 s");
    }

    /** Fake curl (it "downloads" an agent with the given body), wg and wireguard-go, real iproute2. */
    private Path fakeTools(String agentBody) throws IOException {
        Path bin = bin();
        link(bin, "ip", Files.exists(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/bin/ip");
        Path agent = tmp.resolve("agent-body.sh");
        Files.writeString(agent, "#!/bin/sh\n" + agentBody + "\n");
        script(bin, "curl", "while [ $# -gt 0 ]; do [ \"$1\" = -o ] && cat '" + agent + "' >\"$2\"; shift; done");
        script(bin, "wg", "exit 0");
        script(bin, "wireguard-go", "exit 0");
        return bin;
    }

    private Path bin() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : BASICS) {
            for (String dir : List.of("/usr/bin/", "/bin/")) {
                if (Files.isExecutable(Path.of(dir + tool)) && !Files.exists(bin.resolve(tool))) {
                    link(bin, tool, dir + tool);
                }
            }
        }
        return bin;
    }

    private static void link(Path bin, String name, String target) throws IOException {
        Files.createSymbolicLink(bin.resolve(name), Path.of(target));
    }

    private static void script(Path bin, String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String stdout, String stderr) {}

    private Run run(Path bin, int waitSeconds) throws Exception {
        String text = MeshLocalnodeJoins.joinScript(
                "http://192.0.2.1:8080",
                "net-1",
                "cpm_token",
                "10.7.7.7",
                tmp.resolve("state").toString(),
                tmp.resolve("mesh.log").toString(),
                waitSeconds);
        Path script = tmp.resolve("join.sh");
        Files.writeString(script, text);
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", script.toString())
                .redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        assertThat(process.waitFor(waitSeconds + 20L, TimeUnit.SECONDS)).isTrue();
        return new Run(
                process.exitValue(),
                Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }
}
