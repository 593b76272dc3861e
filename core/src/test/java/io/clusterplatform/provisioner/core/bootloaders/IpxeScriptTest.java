package io.clusterplatform.provisioner.core.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;

class IpxeScriptTest {

    @Test
    void aBuildFillsInTheServerAndLeavesIpxeVariablesAlone() {
        IpxeScript script = new IpxeScript("#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/1?mac=${net0/mac}");

        assertThat(script.withServer("http://192.0.2.5:8080").fileContent())
                .isEqualTo("#!ipxe\ndhcp\nchain http://192.0.2.5:8080/api/mainscripts/1?mac=${net0/mac}\n");
    }

    @Test
    void aBuiltBinaryBelongsToNoSiteSoArtifactIdBecomesEmpty() {
        assertThat(new IpxeScript("#!ipxe\nchain {{server}}/a?artifactId={{artifactId}}")
                        .withServer("https://p.example")
                        .text())
                .isEqualTo("#!ipxe\nchain https://p.example/a?artifactId=");
    }

    @Test
    void withoutAServerUrlTheScriptStaysAsWritten() {
        IpxeScript script = new IpxeScript("#!ipxe\nchain {{server}}/api/mainscripts/1");

        assertThat(script.withServer(null)).isSameAs(script);
    }

    @Test
    void aScriptWithoutTheMagicIsRefused() {
        assertThatThrownBy(() -> new IpxeScript("dhcp"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("#!ipxe");
    }

    @Test
    void forAnIpxeThatJustConfiguredItsNetworkLinesThatOnlyConfigureItRunOnlyWithoutAnAddress() {
        IpxeScript script = new IpxeScript("#!ipxe\ndhcp\n  ifconf net1 \r\ndhcp || goto retry\n"
                + "echo dhcp\nifconf -c dhcp\n:retry\ndhcp net0\nchain http://p.example/api/mainscripts/1\n");

        assertThat(script.forConfiguredNetwork().text())
                .isEqualTo("#!ipxe\nisset ${ip} || dhcp\n  isset ${net1/ip} || ifconf net1 \r\ndhcp || goto retry\n"
                        + "echo dhcp\nifconf -c dhcp\n:retry\nisset ${net0/ip} || dhcp net0\n"
                        + "chain http://p.example/api/mainscripts/1\n");
    }

    @Test
    void aScriptThatConfiguresNothingIsTheSameForAConfiguredNetwork() {
        IpxeScript script = new IpxeScript("#!ipxe\nchain http://p.example/api/mainscripts/1");

        assertThat(script.forConfiguredNetwork()).isEqualTo(script);
    }
}
