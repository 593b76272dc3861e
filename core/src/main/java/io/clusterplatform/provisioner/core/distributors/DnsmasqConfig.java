package io.clusterplatform.provisioner.core.distributors;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The dnsmasq configuration of a distributor: proxyDHCP next to the LAN's own DHCP server (no
 * addresses handed out, no DNS), bound to one interface, TFTP from the distributor's root, one PXE
 * service per architecture for firmware clients (load iPXE over TFTP) and one for iPXE clients (run the
 * script over HTTP), told apart by iPXE's user class and option 175.
 *
 * <p>Firmware of an architecture the site has no bootloader for (a BIOS-only site, say) is answered
 * with a boot file that does not exist, {@link #notConfiguredFile}: its TFTP request fails at once,
 * and the boot timeline says what is missing, instead of the host waiting in silence.
 *
 * <p>Every value is checked before it is written (interface name, IPv4 address, TFTP paths, URLs
 * without separators), so no input can add a line of its own.
 */
public final class DnsmasqConfig {
    /** TFTP transfers served at once: a rack powering on together. */
    static final int TFTP_MAX = 1000;

    /**
     * dnsmasq prints this last when it starts, after its DHCP and TFTP sockets are bound (a port in use
     * makes it exit before): the service is answering.
     */
    public static final String READY_LINE = "TFTP root is ";

    /** The TFTP directory of the boot files that stand for a missing bootloader; nothing is ever in it. */
    static final String NOT_CONFIGURED = "not-configured";

    private DnsmasqConfig() {}

    /** The boot file handed to firmware of an architecture the site has no bootloader for. */
    public static String notConfiguredFile(PxeArchitecture architecture) {
        return NOT_CONFIGURED + "/" + architecture.directory();
    }

    /** The architecture whose missing bootloader {@code tftpFile} stands for, if it is such a file. */
    public static Optional<PxeArchitecture> notConfigured(String tftpFile) {
        for (PxeArchitecture architecture : PxeArchitecture.values()) {
            // a BIOS PXE ROM asks for the file with ".0" appended, the PXE layer's suffix
            if (notConfiguredFile(architecture).equals(tftpFile)
                    || (notConfiguredFile(architecture) + ".0").equals(tftpFile)) {
                return Optional.of(architecture);
            }
        }
        return Optional.empty();
    }

    public static String render(
            String artifactId, String device, String range, Path tftpRoot, List<PxeBootloader> bootloaders) {
        DistributorRules.requireDevice("device", device);
        DistributorRules.requireIpv4("range", range);
        String root = tftpRoot.toAbsolutePath().normalize().toString();
        if (!root.matches("[A-Za-z0-9/._+-]+")) {
            throw new IllegalArgumentException("TFTP root path with unusual characters: " + root);
        }
        StringBuilder conf = new StringBuilder();
        conf.append("# proxyDHCP + TFTP of the provisioner distributor for artifactId ")
                .append(artifactId == null ? "-" : artifactId.replaceAll("[^A-Za-z0-9._:-]", "?"))
                .append(".\n# Written by the agent on every update command; edits are lost.\n");
        conf.append("port=0\n"); // no DNS
        conf.append("interface=").append(device).append('\n');
        conf.append("bind-interfaces\n");
        conf.append("dhcp-range=").append(range).append(",proxy\n");
        conf.append("log-dhcp\n");
        conf.append("enable-tftp\n");
        conf.append("tftp-root=").append(root).append('\n');
        // dnsmasq serves 50 TFTP transfers at once by default; past that it stops reading port 69,
        // hosts retransmit, and slots go to stale requests of hosts that gave up (BENCHMARKS.md,
        // "Boot storm": 500 and 1,000 hosts at once lose half of them at TFTP with the default).
        conf.append("tftp-max=").append(TFTP_MAX).append('\n');
        conf.append("dhcp-userclass=set:ipxe,iPXE\n");
        conf.append("dhcp-match=set:ipxe,175\n");
        conf.append("pxe-prompt=\"Cluster Platform Provisioner\",0\n");
        Set<PxeArchitecture> missing = EnumSet.allOf(PxeArchitecture.class);
        for (PxeBootloader loader : bootloaders) {
            missing.remove(loader.architecture());
            for (String type : loader.architecture().clientTypes()) {
                conf.append("pxe-service=tag:!ipxe,")
                        .append(type)
                        .append(",\"iPXE (")
                        .append(loader.architecture().directory())
                        .append(")\",")
                        .append(loader.tftpFile())
                        .append('\n');
                if (loader.scriptUrl() != null) {
                    conf.append("pxe-service=tag:ipxe,")
                            .append(type)
                            .append(",\"iPXE script\",")
                            .append(loader.scriptUrl())
                            .append('\n');
                }
            }
        }
        for (PxeArchitecture architecture : missing) {
            for (String type : architecture.clientTypes()) {
                conf.append("pxe-service=tag:!ipxe,")
                        .append(type)
                        .append(",\"no iPXE for ")
                        .append(architecture.label())
                        .append(" hosts on this site\",")
                        .append(notConfiguredFile(architecture))
                        .append('\n');
            }
        }
        return conf.toString();
    }
}
