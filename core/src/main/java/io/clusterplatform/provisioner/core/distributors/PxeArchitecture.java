package io.clusterplatform.provisioner.core.distributors;

import java.util.List;

/**
 * The client architectures a distributor serves, each with the dnsmasq {@code pxe-service} client system
 * types (DHCP option 93) that select it. UEFI x86-64 firmwares send type 7 or 9, so both map to it.
 * Each also names its fields in an update command ({@link #field()}) and how the dashboard calls it
 * ({@link #label()}): adding an architecture starts here.
 */
public enum PxeArchitecture {
    BIOS("bios", List.of("x86PC"), "ipxePxeBios", "BIOS"),
    UEFI_X64("uefi", List.of("X86-64_EFI", "BC_EFI"), "ipxePxeUefi", "UEFI x86-64"),
    ARM64_UEFI("arm64", List.of("ARM64_EFI"), "ipxePxeArm64", "UEFI arm64");

    private final String directory;
    private final List<String> clientTypes;
    private final String field;
    private final String label;

    PxeArchitecture(String directory, List<String> clientTypes, String field, String label) {
        this.directory = directory;
        this.clientTypes = clientTypes;
        this.field = field;
        this.label = label;
    }

    /**
     * The prefix of this architecture's fields in an update command and in {@code PUT
     * /api/distributors/{id}}: {@code <field>Url}, {@code <field>Sha256}, {@code <field>ScriptUrl}, e.g.
     * {@code ipxePxeUefi}.
     */
    public String field() {
        return field;
    }

    /** How people call it, e.g. {@code UEFI x86-64}. */
    public String label() {
        return label;
    }

    /** The TFTP path of a bootloader of this architecture named {@code fileName}, e.g. {@code uefi/ipxe.efi}. */
    public String tftpPath(String fileName) {
        return directory + "/" + fileName;
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
