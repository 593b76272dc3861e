package io.clusterplatform.provisioner.core.distributors;

import java.util.List;
import java.util.Optional;

/**
 * The {@code autoexec.ipxe} of a distributor's TFTP root. An iPXE EFI binary (1.21 and newer) loaded
 * over TFTP asks the same TFTP server for {@code autoexec.ipxe} when it starts, and runs it instead of
 * booting by itself. Booting by itself costs seconds that the host only waits: the 2 s "Press Ctrl-B"
 * banner, then a DHCP exchange while waiting for IPv6 router advertisements (4 s on an IPv4-only LAN),
 * then the PXE boot server exchange (docs/BENCHMARKS.md, "Time to node"). This script uses the
 * address the firmware's PXE just obtained (configuring IPv4 only when there is none) and chains the
 * script URL of the build for the binary's architecture, the one proxyDHCP would have named; an
 * architecture without a script URL boots by itself as before ({@code autoboot}).
 */
public final class EfiAutoexec {
    /** Its name in the TFTP root, where iPXE looks for it. */
    public static final String FILE = "autoexec.ipxe";

    private EfiAutoexec() {}

    /** The script for these bootloaders, or empty when no EFI architecture has a script URL. */
    public static Optional<String> render(List<PxeBootloader> bootloaders) {
        String x64 = scriptUrl(bootloaders, PxeArchitecture.UEFI_X64);
        String arm64 = scriptUrl(bootloaders, PxeArchitecture.ARM64_UEFI);
        if (x64 == null && arm64 == null) {
            return Optional.empty();
        }
        return Optional.of("#!ipxe\n"
                + "# Written by the distributor agent on every update command; edits are lost.\n"
                + "# iPXE EFI binaries fetched from this TFTP root run it when they start: it chains the\n"
                + "# script of the build for their architecture without a second DHCP or an IPv6 wait.\n"
                + "ifopen\n"
                + "isset ${ip} || ifconf --configurator dhcp\n"
                + "iseq ${buildarch} arm64 && goto arm64 ||\n"
                + chainOrAutoboot(x64)
                + ":arm64\n"
                + chainOrAutoboot(arm64));
    }

    private static String chainOrAutoboot(String url) {
        return url == null ? "autoboot\n" : "chain --autofree " + url + "\n";
    }

    private static String scriptUrl(List<PxeBootloader> bootloaders, PxeArchitecture architecture) {
        return bootloaders.stream()
                .filter(b -> b.architecture() == architecture)
                .map(PxeBootloader::scriptUrl)
                .filter(url -> url != null)
                .findFirst()
                .orElse(null);
    }
}
