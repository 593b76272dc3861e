package io.clusterplatform.provisioner.distributor.pxe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.distributor.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real dnsmasq, in a network namespace of the test's own. */
class DnsmasqServiceTest {
    @TempDir
    Path dir;

    private TestNamespace ns;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final PxeService.Listener listener = new PxeService.Listener() {
        @Override
        public void line(String line) {
            lines.add(line);
        }

        @Override
        public void note(String message) {
            notes.add(message);
        }
    };
    private DnsmasqService service;
    private Path config;

    @BeforeEach
    void namespace() throws Exception {
        ns = TestNamespace.create();
        TestNamespace.openForDnsmasq(dir);
        Files.createDirectories(dir.resolve("tftp"));
        config = dir.resolve("dnsmasq.conf");
        Files.writeString(
                config,
                "port=0\ninterface=d0\nbind-interfaces\ndhcp-range=10.214.7.1,proxy\nenable-tftp\n" + "tftp-root="
                        + dir.resolve("tftp") + "\n");
        service = new DnsmasqService(ns.wrap(dir, "dnsmasq").toString(), dir, listener);
    }

    @AfterEach
    void cleanUp() {
        if (service != null) {
            service.close();
        }
        ns.close();
    }

    @Test
    void startsOnceAndAnswersWithItsConfiguration() throws Exception {
        assertThat(service.start(config)).startsWith("dnsmasq started (pid ");
        assertThat(service.running()).isTrue();
        assertThat(lines).anyMatch(l -> l.contains("DHCP, proxy on subnet 10.214.7.1"));

        assertThat(service.start(config)).contains("already running");

        Files.writeString(config, Files.readString(config) + "log-dhcp\n");
        assertThat(service.start(config)).startsWith("dnsmasq restarted");
    }

    @Test
    void restartsAfterACrashAndSaysSo() throws Exception {
        service.start(config);
        long first = pid();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        await().atMost(Timeouts.startup()).until(() -> service.running() && pid() != first);
        assertThat(notes).anyMatch(n -> n.contains("exited with code") && n.contains("restarting in 1000 ms"));
        assertThat(notes).anyMatch(n -> n.startsWith("dnsmasq restarted (pid "));
    }

    @Test
    void stopsForGood() throws Exception {
        service.start(config);
        long pid = pid();

        service.stop();

        assertThat(service.running()).isFalse();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        Thread.sleep(1500);
        assertThat(service.running()).isFalse();
        assertThat(notes).isEmpty();
    }

    @Test
    void failsWithDnsmasqsOwnWordsWhenItCannotStart() throws Exception {
        Files.writeString(config, "port=0\ndhcp-range=999.1.1.1,proxy\n");

        assertThatThrownBy(() -> service.start(config))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("dnsmasq exited with code")
                .hasMessageContaining("dhcp-range");
        assertThat(service.running()).isFalse();
    }

    @Test
    void aNewAgentStopsTheDnsmasqAKilledOneLeftBehind() throws Exception {
        service.start(config);
        long leftover = pid();

        DnsmasqService next = new DnsmasqService(ns.wrap(dir, "dnsmasq").toString(), dir, listener);
        next.stopLeftover();

        assertThat(ProcessHandle.of(leftover)).isEmpty();
        next.close();
    }

    /** dnsmasq's own pid, from its pid file (the wrapper execs into ip netns exec, which execs dnsmasq). */
    private long pid() throws Exception {
        return Long.parseLong(Files.readString(dir.resolve("dnsmasq.pid")).strip());
    }
}
