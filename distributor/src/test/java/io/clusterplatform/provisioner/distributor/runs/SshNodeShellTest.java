package io.clusterplatform.provisioner.distributor.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterplatform.provisioner.core.sshkeys.GeneratedSshKeyPair;
import io.clusterplatform.provisioner.core.sshkeys.SshKeyAlgorithm;
import io.clusterplatform.provisioner.core.sshkeys.SshKeyPairs;
import io.clusterplatform.provisioner.core.testing.OriginalSshKeys;
import io.clusterplatform.provisioner.core.testing.SshKeygen;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshNodeShell} against a real SSH server in this process that runs scripts on this machine. */
class SshNodeShellTest {
    private static final GeneratedSshKeyPair CLIENT_KEY = SshKeyPairs.generate(SshKeyAlgorithm.ED25519);
    private static final Duration RUN_TIMEOUT = Timeouts.scaled(Duration.ofSeconds(20));

    private static SshNodeShell shell;

    @TempDir
    Path dir;

    private TestSshServer server;
    private final RecordingSink sink = new RecordingSink();

    @BeforeAll
    static void startShell() {
        shell = new SshNodeShell();
    }

    @AfterAll
    static void closeShell() {
        shell.close();
    }

    @BeforeEach
    void startServer() {
        server = TestSshServer.start(CLIENT_KEY.publicKey(), TestSshServer.generateHostKey("ssh-ed25519"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void runsTheScriptAndReturnsItsOutputAndExitCode() {
        ShellResult result = run(target(null), "echo hello; id -u");

        assertThat(result.error()).isNull();
        assertThat(result.exitCode()).isZero();
        assertThat(result.succeeded()).isTrue();
        assertThat(sink.stdout()).isEqualTo("hello\n" + uid());
        assertThat(sink.stderr()).isEmpty();
    }

    @Test
    void returnsTheExitCodeOfAFailingScriptWithStderrApart() {
        ShellResult result = run(target(null), "echo out; echo err >&2; exit 3; echo never");

        assertThat(result.error()).isNull();
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(sink.stdout()).isEqualTo("out\n");
        assertThat(sink.stderr()).isEqualTo("err\n");
    }

    @Test
    void runsAQuotingHostileScriptExactlyAsWritten() {
        String script = """
                printf '%s\\n' 'single "double" $HOME \\back'
                printf '%s\\n' "double 'single' \\$HOME \\\\back"
                printf '%s\\n' "$HOME"
                cat <<'END'
                heredoc 'single' "double" $HOME \\back `echo no` $(echo no)
                END
                cat <<END
                expanded $(echo yes)
                END
                printf '%s\\n' '\\"$(echo x)\\"'
                printf '%s\\n' "\\"$(echo x)\\""
                printf '%s\\n' 'ümlaut €'""";

        ShellResult result = run(target(null), script);

        assertThat(result.error()).isNull();
        assertThat(result.exitCode()).isZero();
        assertThat(sink.stdout()).isEqualTo("""
                single "double" $HOME \\back
                double 'single' $HOME \\back
                %s
                heredoc 'single' "double" $HOME \\back `echo no` $(echo no)
                expanded yes
                \\"$(echo x)\\"
                "x"
                ümlaut €
                """.formatted(System.getenv("HOME")));
        assertThat(sink.stderr()).isEmpty();
    }

    @Test
    void trustsTheHostKeyOnFirstUseAndReturnsItForPinning() {
        ShellResult first = run(target(null), "true");

        assertThat(first.hostKey()).isEqualTo(TestSshServer.line(server.hostKey(0)));

        ShellResult pinned = run(target(first.hostKey()), "echo pinned");
        assertThat(pinned.error()).isNull();
        assertThat(pinned.exitCode()).isZero();
        assertThat(pinned.hostKey()).isEqualTo(first.hostKey());
    }

    @Test
    void acceptsThePinnedKeyWithACommentAndOtherSpacing() {
        String line = "  " + TestSshServer.line(server.hostKey(0)) + " root@node1\n";

        assertThat(run(target(line), "true").succeeded()).isTrue();
    }

    @Test
    void refusesAChangedHostKeyWithoutRunningTheScript() {
        KeyPair other = TestSshServer.generateHostKey("ssh-ed25519");
        Path marker = dir.resolve("marker");

        ShellResult result = run(target(TestSshServer.line(other)), "touch '" + marker + "'");

        assertThat(result.exitCode()).isNull();
        assertThat(result.error())
                .isEqualTo("the host key of 127.0.0.1:" + server.port() + " changed: pinned " + fingerprint(other)
                        + ", offered " + fingerprint(server.hostKey(0)) + "; if the node was reinstalled, forget"
                        + " its pinned key (DELETE /api/localnodes/{id}/hostkey) and run again");
        assertThat(result.hostKey()).isEqualTo(TestSshServer.line(server.hostKey(0)));
        assertThat(marker).doesNotExist();
        assertThat(server.users()).as("no login was tried").isEmpty();
    }

    @Test
    void keepsTheHostKeysOfRunsAtTheSameTimeApart() {
        String wrongPin = TestSshServer.line(TestSshServer.generateHostKey("ssh-ed25519"));
        RecordingSink otherSink = new RecordingSink();

        CompletableFuture<ShellResult> refused = CompletableFuture.supplyAsync(
                () -> shell.run(target(wrongPin), "echo refused", RUN_TIMEOUT, otherSink));
        CompletableFuture<ShellResult> trusted = CompletableFuture.supplyAsync(
                () -> shell.run(target(null), "sleep 1; echo trusted", RUN_TIMEOUT, sink));

        assertThat(refused.join().error()).startsWith("the host key of 127.0.0.1:" + server.port() + " changed");
        assertThat(otherSink.stdout()).isEmpty();
        assertThat(trusted.join().error()).isNull();
        assertThat(sink.stdout()).isEqualTo("trusted\n");
    }

    @Test
    void asksANodeWithSeveralHostKeysForThePinnedOne() {
        server.close();
        server = TestSshServer.start(
                CLIENT_KEY.publicKey(),
                TestSshServer.generateHostKey("ecdsa-sha2-nistp256"),
                TestSshServer.generateHostKey("ssh-ed25519"),
                TestSshServer.generateHostKey("ssh-rsa"));
        String firstOffered = run(target(null), "true").hostKey();

        for (int i = 0; i < 3; i++) {
            String pinned = TestSshServer.line(server.hostKey(i));
            ShellResult result = run(target(pinned), "true");
            assertThat(result.error())
                    .as("pinned %s (first offered: %s)", pinned, firstOffered)
                    .isNull();
            assertThat(result.hostKey()).isEqualTo(pinned);
        }
    }

    @Test
    void refusesAPinnedHostKeyItCannotRead() {
        ShellResult result = run(target("ssh-ed25519 AAAAnotbase64!"), "true");

        assertThat(result.exitCode()).isNull();
        assertThat(result.error())
                .startsWith("the pinned host key of 127.0.0.1:" + server.port() + " cannot be read")
                .endsWith(
                        "forget it (DELETE /api/localnodes/{id}/hostkey) and run again to pin the key the node presents");
    }

    @Test
    void saysWhenTheNodeRefusesTheKey() {
        GeneratedSshKeyPair wrong = SshKeyPairs.generate(SshKeyAlgorithm.ECDSA);

        ShellResult result = run(new SshTarget("127.0.0.1", server.port(), "deploy", wrong.privateKey(), null), "true");

        assertThat(result.exitCode()).isNull();
        assertThat(result.error())
                .isEqualTo("127.0.0.1:" + server.port() + " refused the key " + wrong.fingerprint()
                        + " for user deploy; add its public half to ~deploy/.ssh/authorized_keys on the node");
        assertThat(result.hostKey()).isEqualTo(TestSshServer.line(server.hostKey(0)));
        assertNoKeyMaterial(result, wrong.privateKey());
    }

    @Test
    void logsInAsRootUnlessToldOtherwise() {
        run(target(null), "true");
        run(new SshTarget("127.0.0.1", server.port(), "deploy", CLIENT_KEY.privateKey(), null), "true");

        assertThat(server.users())
                .containsOnly("root", "deploy")
                .startsWith("root")
                .endsWith("deploy");
    }

    @Test
    void saysWhenTheNodeCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        ShellResult result = run(new SshTarget("127.0.0.1", closedPort, null, CLIENT_KEY.privateKey(), null), "true");

        assertThat(result.exitCode()).isNull();
        assertThat(result.hostKey()).isNull();
        assertThat(result.error())
                .isEqualTo("cannot connect to 127.0.0.1:" + closedPort + ": connection refused; check that the node"
                        + " is up and its SSH server listens on that port");
        assertNoKeyMaterial(result, CLIENT_KEY.privateKey());
    }

    @Test
    void saysWhenTheHostIsUnknown() {
        ShellResult result =
                run(new SshTarget("no-such-node.invalid", 22, null, CLIENT_KEY.privateKey(), null), "true");

        assertThat(result.error()).startsWith("cannot connect to no-such-node.invalid:22: ");
    }

    @Test
    void stopsAScriptThatRunsOutOfTime() {
        long start = System.nanoTime();

        ShellResult result = shell.run(target(null), "echo started; sleep 30", Duration.ofSeconds(1), sink);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Timeouts.scaled(Duration.ofSeconds(5)));
        assertThat(result.exitCode()).isNull();
        assertThat(result.error()).isEqualTo("the script did not finish within 1 s; it was stopped");
        assertThat(result.hostKey()).isEqualTo(TestSshServer.line(server.hostKey(0)));
        assertThat(sink.stdout()).isEqualTo("started\n");
    }

    @Test
    void passesOnOutputWhileTheScriptRuns() {
        CompletableFuture<ShellResult> running =
                CompletableFuture.supplyAsync(() -> run(target(null), "echo first; sleep 2; echo second"));

        await().atMost(Timeouts.scaled(Duration.ofSeconds(10)))
                .until(() -> sink.stdout().equals("first\n"));
        assertThat(running).isNotDone();

        assertThat(running.join().exitCode()).isZero();
        assertThat(sink.stdout()).isEqualTo("first\nsecond\n");
    }

    @Test
    void saysWhenTheConnectionIsLostWhileTheScriptRuns() {
        CompletableFuture<ShellResult> running =
                CompletableFuture.supplyAsync(() -> run(target(null), "echo started; sleep 30"));
        await().atMost(Timeouts.scaled(Duration.ofSeconds(10)))
                .until(() -> sink.stdout().equals("started\n"));

        server.kill();

        ShellResult result = running.join();
        assertThat(result.exitCode()).isNull();
        assertThat(result.error())
                .startsWith("the connection to 127.0.0.1:" + server.port() + " ended before the script reported how"
                        + " it ended");
    }

    @Test
    void saysWhenThePortIsNoSshServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                SshNodeShell quick = new SshNodeShell(limits(Duration.ofSeconds(1), Duration.ofSeconds(15), 4))) {
            ShellResult result = quick.run(
                    new SshTarget("127.0.0.1", silent.getLocalPort(), null, CLIENT_KEY.privateKey(), null),
                    "true",
                    RUN_TIMEOUT,
                    sink);

            assertThat(result.exitCode()).isNull();
            assertThat(result.error())
                    .isEqualTo("127.0.0.1:" + silent.getLocalPort() + " accepted the connection but did not complete"
                            + " the SSH handshake within 1 s; is an SSH server listening on that port?");
        }
    }

    @Test
    void keepsRunningWhenTheNodeRefusesKeepalivesAsOpenSshDoes() {
        server.close();
        server = TestSshServer.start(
                TestSshServer.Keepalives.REFUSED, CLIENT_KEY.publicKey(), TestSshServer.generateHostKey("ssh-ed25519"));
        try (SshNodeShell keepalives = new SshNodeShell(limits(Duration.ofSeconds(10), Duration.ofMillis(200), 2))) {
            ShellResult result = keepalives.run(target(null), "sleep 2; echo done", RUN_TIMEOUT, sink);

            assertThat(result.error()).isNull();
            assertThat(sink.stdout()).isEqualTo("done\n");
        }
    }

    @Test
    void saysWhenTheNodeStopsAnswering() {
        server.close();
        server = TestSshServer.start(
                TestSshServer.Keepalives.IGNORED, CLIENT_KEY.publicKey(), TestSshServer.generateHostKey("ssh-ed25519"));
        try (SshNodeShell keepalives = new SshNodeShell(limits(Duration.ofSeconds(10), Duration.ofMillis(200), 2))) {
            long start = System.nanoTime();
            ShellResult result = keepalives.run(target(null), "sleep 10; echo done", RUN_TIMEOUT, sink);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Timeouts.scaled(Duration.ofSeconds(5)));
            assertThat(result.exitCode()).isNull();
            assertThat(result.error())
                    .isEqualTo("127.0.0.1:" + server.port() + " stopped answering while the script ran (2 keepalives"
                            + " 200 ms apart got no answer); the node may have gone down or lost its network");
        }
    }

    @Test
    void readsTheOriginalsPrivateKeyDespiteItsMissingPadding() {
        server.close();
        server = TestSshServer.start(OriginalSshKeys.PUBLIC_KEY, TestSshServer.generateHostKey("ssh-ed25519"));

        ShellResult result = run(
                new SshTarget("127.0.0.1", server.port(), null, OriginalSshKeys.PRIVATE_KEY, null), "echo original");

        assertThat(result.error()).isNull();
        assertThat(sink.stdout()).isEqualTo("original\n");
    }

    @Test
    void readsPemPrivateKeys() {
        SshKeygen.KeyFiles pem = SshKeygen.generate("ecdsa", "pem", "", "-m", "PEM");
        assertThat(pem.privateKey()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        server.close();
        server = TestSshServer.start(pem.publicKey(), TestSshServer.generateHostKey("ssh-ed25519"));

        ShellResult result = run(new SshTarget("127.0.0.1", server.port(), null, pem.privateKey(), null), "echo pem");

        assertThat(result.error()).isNull();
        assertThat(sink.stdout()).isEqualTo("pem\n");
    }

    @Test
    void saysWhenThePrivateKeyCannotBeRead() {
        String damaged = CLIENT_KEY.privateKey().replace("b3BlbnNzaC1rZXktdjE", "b3BlbnNzaC1rZXktdjF");

        ShellResult result = run(new SshTarget("127.0.0.1", server.port(), null, damaged, null), "true");

        assertThat(result.exitCode()).isNull();
        assertThat(result.hostKey()).isNull();
        assertThat(result.error()).startsWith("the private key cannot be read: ");
        assertNoKeyMaterial(result, damaged);
        assertThat(server.users()).isEmpty();
    }

    @Test
    void saysWhenThePrivateKeyIsAPublicKey() {
        ShellResult result = run(new SshTarget("127.0.0.1", server.port(), null, CLIENT_KEY.publicKey(), null), "true");

        assertThat(result.error())
                .isEqualTo("the private key cannot be read: it is a public key; send the private key");
    }

    @Test
    void neverPrintsThePrivateKey() {
        SshTarget target = target(null);

        assertThat(target.toString()).isEqualTo("SshTarget[root@127.0.0.1:" + server.port() + ", no pinned host key]");
        assertNoKeyMaterial(target.toString(), CLIENT_KEY.privateKey());
    }

    private ShellResult run(SshTarget target, String script) {
        ShellResult result = shell.run(target, script, RUN_TIMEOUT, sink);
        if (result.error() != null) {
            assertNoKeyMaterial(result, target.privateKey());
        }
        return result;
    }

    private static SshNodeShell.Limits limits(Duration handshake, Duration keepaliveInterval, int keepaliveMisses) {
        return new SshNodeShell.Limits(
                SshNodeShell.Limits.DEFAULT.connect(), handshake, keepaliveInterval, keepaliveMisses);
    }

    private SshTarget target(String pinnedHostKey) {
        return new SshTarget("127.0.0.1", server.port(), null, CLIENT_KEY.privateKey(), pinnedHostKey);
    }

    private static String fingerprint(KeyPair pair) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, pair.getPublic());
    }

    private static String uid() {
        try {
            return new String(
                    new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNoKeyMaterial(ShellResult result, String privateKey) {
        assertNoKeyMaterial(String.valueOf(result), privateKey);
    }

    private static void assertNoKeyMaterial(String text, String privateKey) {
        privateKey
                .lines()
                .filter(line -> !line.startsWith("-----") && line.length() >= 16)
                .forEach(line -> assertThat(text).doesNotContain(line.substring(0, 16)));
    }

    /** Collects what the shell passes on, as it arrives. */
    static final class RecordingSink implements NodeShell.OutputSink {
        private final StringBuffer stdout = new StringBuffer();
        private final StringBuffer stderr = new StringBuffer();

        @Override
        public void stdout(String chunk) {
            stdout.append(chunk);
        }

        @Override
        public void stderr(String chunk) {
            stderr.append(chunk);
        }

        String stdout() {
            return stdout.toString();
        }

        String stderr() {
            return stderr.toString();
        }
    }
}
