package io.clusterplatform.provisioner.core.distributors.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandResultTest {
    private static final DnsmasqConfigReport CONFIG = new DnsmasqConfigReport(
            "/var/lib/provisioner/distributor/dnsmasq.conf", "port=0\ndhcp-range=10.0.0.1,proxy\n");

    @Test
    void theConfigurationIsTheLastSectionOfTheOutputAsThePreviousReleaseWroteIt() {
        CommandResult result = CommandResult.done("proxyDHCP on eth0\n", CONFIG);

        assertThat(result.ok()).isTrue();
        assertThat(result.output())
                .isEqualTo("proxyDHCP on eth0\n--- /var/lib/provisioner/distributor/dnsmasq.conf ---\n"
                        + "port=0\ndhcp-range=10.0.0.1,proxy\n");
        assertThat(result.dnsmasqConfig()).isEqualTo(CONFIG);
        assertThat(DnsmasqConfigReport.readFrom(result.output())).contains(CONFIG);
    }

    @Test
    void theConfigurationOfAnyAgentIsReadFromItsOutput() {
        String oldAgent = "dnsmasq started (pid 7)\n--- /srv/d/dnsmasq.conf ---\nport=0\n";

        assertThat(DnsmasqConfigReport.readFrom(oldAgent))
                .contains(new DnsmasqConfigReport("/srv/d/dnsmasq.conf", "port=0\n"));
        assertThat(DnsmasqConfigReport.readFrom("dnsmasq stopped; the PXE service is off"))
                .isEmpty();
        assertThat(DnsmasqConfigReport.readFrom("one line\n--- no end")).isEmpty();
        assertThat(DnsmasqConfigReport.readFrom(null)).isEmpty();
    }

    @Test
    void outputAndErrorAreCutAndCleaned() {
        CommandResult long_ = CommandResult.done("x".repeat(CommandResult.MAX_TEXT + 5));
        CommandResult failed = CommandResult.failed("bad\u0000byte");

        assertThat(long_.output())
                .startsWith("x".repeat(CommandResult.MAX_TEXT))
                .endsWith("[cut at " + CommandResult.MAX_TEXT + " characters]");
        assertThat(failed.ok()).isFalse();
        assertThat(failed.error()).isEqualTo("bad?byte");
        assertThat(failed.output()).isNull();
    }
}
