package io.clusterplatform.provisioner.core.distributors;

import java.util.List;

/**
 * The client architectures a distributor serves, each with the dnsmasq {@code pxe-service} client system
 * types (DHCP option 93) that select it. UEFI x86-64 firmwares send type 7 or 9, so both map to it.
 */
public enum PxeArchitecture {
    BIOS("bios", List.of("x86PC")),
    UEFI_X64("uefi", List.of("X86-64_EFI", "BC_EFI")),
    ARM64_UEFI("arm64", List.of("ARM64_EFI"));

    private final String directory;
    private final List<String> clientTypes;

    PxeArchitecture(String directory, List<String> clientTypes) {
        this.directory = directory;
        this.clientTypes = clientTypes;
    }

    /** The TFTP subdirectory of this architecture's bootloader, e.g. {@code uefi}. */
    public String directory() {
        return directory;
    }

    /** dnsmasq's names for the client system types of this architecture. */
    public List<String> clientTypes() {
        return clientTypes;
    }
}
