package io.clusterplatform.provisioner.core.distributors.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentCommandTest {
    private static final String SHA = "ab".repeat(32);

    @Test
    void kindsHaveTheirLowerCaseWireNames() {
        assertThat(CommandKind.UPDATE.wireName()).isEqualTo("update");
        assertThat(CommandKind.ofWireName("status")).contains(CommandKind.STATUS);
        assertThat(CommandKind.ofWireName("script")).contains(CommandKind.SCRIPT);
        assertThat(CommandKind.ofWireName("reboot")).isEmpty();
        assertThat(CommandKind.ofWireName("UPDATE")).isEmpty();
    }

    @Test
    void anUpdateWritesThePreviousReleasesFieldsInTheirOrder() {
        UpdateCommand update = new UpdateCommand(
                "lab",
                "eth0",
                "10.0.0.1",
                Map.of(
                        PxeArchitecture.ARM64_UEFI, new Bootloader("http://s/a/ipxe.efi", null, "http://s/a/p.ipxe"),
                        PxeArchitecture.BIOS, new Bootloader("http://s/c/ipxe.kpxe", SHA, "http://s/c/p.ipxe"),
                        PxeArchitecture.UEFI_X64, new Bootloader("http://s/b/ipxe.efi", SHA, null)));

        assertThat(update.fields().keySet())
                .containsExactly(
                        "ipxePxeUefiUrl",
                        "ipxePxeBiosUrl",
                        "artifactId",
                        "device",
                        "range",
                        "ipxePxeUefiSha256",
                        "ipxePxeBiosSha256",
                        "ipxePxeBiosScriptUrl",
                        "ipxePxeArm64Url",
                        "ipxePxeArm64ScriptUrl");
        assertThat(update.fields())
                .containsEntry("ipxePxeBiosUrl", "http://s/c/ipxe.kpxe")
                .containsEntry("ipxePxeUefiSha256", SHA)
                .containsEntry("ipxePxeArm64ScriptUrl", "http://s/a/p.ipxe");
        assertThat(AgentCommand.fromFields(CommandKind.UPDATE, update.fields())).isEqualTo(update);
        assertThat(update.bootloaders().keySet())
                .containsExactly(PxeArchitecture.BIOS, PxeArchitecture.UEFI_X64, PxeArchitecture.ARM64_UEFI);
    }

    @Test
    void anUpdateOfTheOriginalsFieldsAloneStaysTheOriginalsFields() {
        Map<String, Object> original = Map.of(
                "ipxePxeUefiUrl", "http://s:30003/ipxes/b/ipxe.efi",
                "ipxePxeBiosUrl", "http://s:30003/ipxes/c/ipxe.kpxe",
                "artifactId", "1",
                "device", "enp0s25",
                "range", "192.168.178.1");

        UpdateCommand update = UpdateCommand.fromFields(original);

        assertThat(update.fields())
                .containsExactly(
                        Map.entry("ipxePxeUefiUrl", "http://s:30003/ipxes/b/ipxe.efi"),
                        Map.entry("ipxePxeBiosUrl", "http://s:30003/ipxes/c/ipxe.kpxe"),
                        Map.entry("artifactId", "1"),
                        Map.entry("device", "enp0s25"),
                        Map.entry("range", "192.168.178.1"));
        assertThat(update.bootloaders().get(PxeArchitecture.BIOS))
                .isEqualTo(new Bootloader("http://s:30003/ipxes/c/ipxe.kpxe", null, null));
    }

    @Test
    void aValidUpdateHasItsChecksumsInLowerCase() {
        Map<String, Object> fields = new HashMap<>(Map.of(
                "ipxePxeUefiUrl", "http://s:30003/ipxes/b/ipxe.efi",
                "ipxePxeBiosUrl", "http://s:30003/ipxes/c/ipxe.kpxe",
                "artifactId", "1",
                "device", "enp0s25",
                "range", "192.168.178.1",
                "ipxePxeUefiSha256", "AB".repeat(32),
                "ipxePxeUefiScriptUrl", "http://s/ipxes/b/script.ipxe"));

        UpdateCommand valid = UpdateCommand.fromFields(fields).requireValid();

        assertThat(valid.device()).isEqualTo("enp0s25");
        assertThat(valid.range()).isEqualTo("192.168.178.1");
        assertThat(valid.bootloaders().keySet()).containsExactly(PxeArchitecture.BIOS, PxeArchitecture.UEFI_X64);
        assertThat(valid.bootloaders().get(PxeArchitecture.UEFI_X64))
                .isEqualTo(new Bootloader("http://s:30003/ipxes/b/ipxe.efi", SHA, "http://s/ipxes/b/script.ipxe"));
        assertThat(valid.bootloaders().get(PxeArchitecture.BIOS).sha256()).isNull();
    }

    @Test
    void anInvalidUpdateIsRefusedNamingTheField() {
        assertThatThrownBy(() -> update(Map.of("device", "eth0", "range", "10.0.0.1")))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("no bootloader");
        assertThatThrownBy(() -> update(Map.of("ipxePxeBiosUrl", "ftp://x/y", "device", "eth0", "range", "10.0.0.1")))
                .hasMessageContaining("'ipxePxeBiosUrl' must be an http:// or https:// URL");
        assertThatThrownBy(() -> update(Map.of("ipxePxeArm64Url", "ftp://x/y", "device", "eth0", "range", "10.0.0.1")))
                .hasMessageContaining("'ipxePxeArm64Url' must be an http:// or https:// URL");
        assertThatThrownBy(() -> update(Map.of("ipxePxeBiosUrl", "http://x/y", "device", "eth0", "range", "10.0.0")))
                .hasMessageContaining("'range' must be an IPv4 address");
        assertThatThrownBy(() -> update(Map.of(
                        "ipxePxeBiosUrl",
                        "http://x/y",
                        "ipxePxeBiosSha256",
                        "abc",
                        "device",
                        "eth0",
                        "range",
                        "10.0.0.1")))
                .hasMessageContaining("'ipxePxeBiosSha256' is not a SHA-256");
        assertThatThrownBy(() -> update(Map.of("ipxePxeBiosUrl", "http://x/y", "range", "10.0.0.1")))
                .hasMessageContaining("device");
    }

    @Test
    void statusAndScriptCommandsRoundTripAndRefuseWhatTheyCannotUse() {
        assertThat(new StatusCommand(true).fields()).isEqualTo(Map.of("on", true));
        assertThat(AgentCommand.fromFields(CommandKind.STATUS, Map.of("on", false)))
                .isEqualTo(new StatusCommand(false));
        assertThat(new ScriptCommand(7).fields()).isEqualTo(Map.of("runId", 7L));
        assertThat(AgentCommand.fromFields(CommandKind.SCRIPT, Map.of("runId", 7)))
                .isEqualTo(new ScriptCommand(7));
        assertThat(new ScriptCommand(7).kind()).isEqualTo(CommandKind.SCRIPT);

        assertThatThrownBy(() -> StatusCommand.fromFields(Map.of("on", "yes")))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("carries no 'on'");
        assertThatThrownBy(() -> ScriptCommand.fromFields(Map.of()))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("carries no 'runId'");
    }

    private static UpdateCommand update(Map<String, Object> fields) {
        return UpdateCommand.fromFields(fields).requireValid();
    }
}
