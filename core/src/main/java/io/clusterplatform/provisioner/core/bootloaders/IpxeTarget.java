package io.clusterplatform.provisioner.core.bootloaders;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The iPXE builds an artifact can be made from: the original API's {@code {platform, driver, extension}}
 * combinations plus 64-bit ARM UEFI. Each names the prebuilt binary of an iPXE 1.21+ distribution
 * that serves it (iPXE is not compiled here; the script is bound to the binary through iPXE's own
 * channels).
 */
public enum IpxeTarget {
    /** 64-bit UEFI: a PE32+ EFI application. */
    X86_64_EFI("bin-x86_64-efi", "ipxe", "efi", "ipxe-amd64.efi", "BOOTX64.EFI"),
    /** BIOS PXE chain-loaded through the NIC's UNDI stack. */
    X86_64_PCBIOS_KPXE("bin-x86_64-pcbios", "ipxe", "kpxe", "undionly.kpxe", null),
    /** A Linux kernel image: loaded by SYSLINUX or GRUB from media, with the script as its initrd. */
    LKRN("bin", "ipxe", "lkrn", "ipxe.lkrn", null),
    /** 64-bit ARM UEFI. */
    ARM64_EFI("bin-arm64-efi", "ipxe", "efi", "ipxe-arm64.efi", "BOOTAA64.EFI");

    private final String platform;
    private final String driver;
    private final String extension;
    private final String binaryName;
    private final String efiBootFileName;

    IpxeTarget(String platform, String driver, String extension, String binaryName, String efiBootFileName) {
        this.platform = platform;
        this.driver = driver;
        this.extension = extension;
        this.binaryName = binaryName;
        this.efiBootFileName = efiBootFileName;
    }

    /** The target for a request's fields; a 400 problem naming the supported ones for anything else. */
    public static IpxeTarget of(String platform, String driver, String extension) {
        for (IpxeTarget target : values()) {
            if (target.platform.equals(platform)
                    && target.driver.equals(driver)
                    && target.extension.equals(extension)) {
                return target;
            }
        }
        throw ProblemException.invalid("unsupported iPXE build {platform: " + quoted(platform) + ", driver: "
                + quoted(driver) + ", extension: " + quoted(extension) + "}: supported are " + supported());
    }

    /** The supported combinations, as a readable list. */
    public static String supported() {
        return Arrays.stream(values()).map(IpxeTarget::describe).collect(Collectors.joining(", "));
    }

    public String platform() {
        return platform;
    }

    public String driver() {
        return driver;
    }

    public String extension() {
        return extension;
    }

    /** The file name of the prebuilt binary in an iPXE 1.21+ distribution ({@code /usr/lib/ipxe}). */
    public String binaryName() {
        return binaryName;
    }

    /** The name the artifact's binary gets: {@code ipxe.<extension>}. */
    public String artifactFileName() {
        return "ipxe." + extension;
    }

    public boolean efi() {
        return efiBootFileName != null;
    }

    /**
     * Whether hosts load it over PXE (TFTP from a distributor), where proxyDHCP hands the iPXE that
     * then runs the URL of its script: the EFI binaries and undionly.kpxe, not ipxe.lkrn (which
     * SYSLINUX or GRUB load).
     */
    public boolean networkBooted() {
        return this != LKRN;
    }

    /** For EFI targets, the removable-media boot file name under {@code EFI/BOOT/}. */
    public Optional<String> efiBootFileName() {
        return Optional.ofNullable(efiBootFileName);
    }

    public String describe() {
        return platform + "/" + driver + "/" + extension;
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
