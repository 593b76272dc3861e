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
}
