package io.clusterplatform.provisioner.core.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EfiAutoexecTest {
    private static final PxeBootloader BIOS =
            new PxeBootloader(PxeArchitecture.BIOS, "bios/ipxe.kpxe", "http://p:8080/ipxes/a/proxydhcp.ipxe");
    private static final PxeBootloader UEFI =
            new PxeBootloader(PxeArchitecture.UEFI_X64, "uefi/ipxe.efi", "http://p:8080/ipxes/b/proxydhcp.ipxe");
    private static final PxeBootloader ARM64 =
            new PxeBootloader(PxeArchitecture.ARM64_UEFI, "arm64/ipxe.efi", "http://p:8080/ipxes/c/proxydhcp.ipxe");

    @Test
    void chainsTheScriptOfEachEfiArchitectureWithoutConfiguringTheNetworkAgain() {
        String script = EfiAutoexec.render(List.of(BIOS, UEFI, ARM64)).orElseThrow();

        assertThat(script).startsWith("#!ipxe\n");
        assertThat(script.lines().filter(l -> !l.startsWith("#")))
                .containsExactly(
                        "ifopen",
                        "isset ${ip} || ifconf --configurator dhcp",
                        "iseq ${buildarch} arm64 && goto arm64 ||",
                        "chain --autofree http://p:8080/ipxes/b/proxydhcp.ipxe",
                        ":arm64",
                        "chain --autofree http://p:8080/ipxes/c/proxydhcp.ipxe");
        assertThat(script).doesNotContain("ipxes/a/");
    }

    @Test
    void anArchitectureWithoutAScriptBootsByItself() {
        String script = EfiAutoexec.render(
                        List.of(UEFI, new PxeBootloader(PxeArchitecture.ARM64_UEFI, "arm64/ipxe.efi", null)))
                .orElseThrow();

        assertThat(script).endsWith(":arm64\nautoboot\n").contains("chain --autofree http://p:8080/ipxes/b/");
    }

    @Test
    void withoutAnyEfiScriptThereIsNoAutoexec() {
        assertThat(EfiAutoexec.render(List.of(BIOS))).isEmpty();
        assertThat(EfiAutoexec.render(List.of(new PxeBootloader(PxeArchitecture.UEFI_X64, "uefi/ipxe.efi", null))))
                .isEmpty();
    }
}
