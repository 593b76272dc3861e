package io.clusterplatform.provisioner.core.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptPlaceholdersTest {
    private static final Map<String, String> VALUES =
            Map.of("server", "http://192.0.2.5:8080", "artifactId", "felicitas.pojtinger.swabia.sol");

    @Test
    void fillsServerAndArtifactId() {
        assertThat(ScriptPlaceholders.fill(
                        "#!ipxe\nchain {{server}}/api/subscripts/1?artifactId={{ artifactId }}\n", VALUES))
                .isEqualTo(
                        "#!ipxe\nchain http://192.0.2.5:8080/api/subscripts/1?artifactId=felicitas.pojtinger.swabia.sol\n");
    }

    @Test
    void leavesIpxeAndShellVariablesAlone() {
        String script = "#!ipxe\nchoose --default a server && goto ${server}\nkernel ${base}/vmlinuz\n"
                + "ip=$(ip -4 addr show)\necho ${ip} {a,b} $HOME\n";
        assertThat(ScriptPlaceholders.fill(script, VALUES)).isEqualTo(script);
    }

    @Test
    void leavesUnknownNamesAndMakesMissingValuesEmpty() {
        assertThat(ScriptPlaceholders.fill("{{other}} {{artifactId}}.", Map.of()))
                .isEqualTo("{{other}} .");
    }

    @Test
    void valuesWithDollarsAndBackslashesAreInsertedLiterally() {
        assertThat(ScriptPlaceholders.fill("{{server}}", Map.of("server", "a$1\\b")))
                .isEqualTo("a$1\\b");
    }
}
