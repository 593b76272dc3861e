package io.clusterplatform.provisioner.distributor.pxe;

import io.clusterplatform.provisioner.core.distributors.DnsmasqConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns dnsmasq's log lines (as it writes them with {@code --log-facility=-}) into boot events; the
 * many detail lines of {@code log-dhcp} (options sent, tags) are left out. What the TFTP lines lack,
 * the client's MAC, comes from the neighbour table through {@link MacLookup}.
 */
public final class BootLogParser {
    /** {@code dnsmasq-dhcp[12]: 3652740870 PXE(eth0) [10.213.1.100 ]52:54:00:00:00:02 proxy|<file>}. */
    private static final Pattern PXE = Pattern.compile(
            "dnsmasq-dhcp\\[\\d+]: (?:\\d+ )?PXE\\((\\S+)\\) (?:(\\d{1,3}(?:\\.\\d{1,3}){3}) )?([0-9a-fA-F:]{17}) (.*)");
    /** {@code dnsmasq-tftp[12]: sent /tftp/uefi/ipxe.efi to 10.213.1.101}. */
    private static final Pattern TFTP_SENT = Pattern.compile("dnsmasq-tftp\\[\\d+]: sent (\\S+) to (\\S+)");
    /** {@code dnsmasq-tftp[12]: file /tftp/autoexec.ipxe not found for 10.213.1.101}. */
    private static final Pattern TFTP_MISSING =
            Pattern.compile("dnsmasq-tftp\\[\\d+]: file (\\S+) not found for (\\S+)");
    /** {@code dnsmasq-tftp[12]: error 8 User aborted the transfer received from 10.213.1.101}. */
    private static final Pattern TFTP_ERROR =
            Pattern.compile("dnsmasq-tftp\\[\\d+]: (error .*) (?:received from|to) (\\S+)");

    private static final Pattern SERVICE =
            Pattern.compile("dnsmasq\\[\\d+]: (started, version .*|exiting on receipt of .*|failed .*|FAILED .*)");
    private static final Pattern FATAL = Pattern.compile("dnsmasq: (.*)");

    /** Finds the MAC of a LAN address, when the neighbour table knows it. */
    @FunctionalInterface
    public interface MacLookup {
        Optional<String> macOf(String ip);
    }

    /** An event without its sequence number and time, which the caller adds. */
    record Parsed(String kind, String mac, String ip, String file, String message) {}

    private final Path tftpRoot;
    private final MacLookup macs;

    public BootLogParser(Path tftpRoot, MacLookup macs) {
        this.tftpRoot = tftpRoot.toAbsolutePath().normalize();
        this.macs = macs;
    }

    Optional<Parsed> parse(String line) {
        String text = line.strip();
        Matcher m = PXE.matcher(text);
        if (m.matches()) {
            String what = m.group(4).strip();
            String file = what.equals("proxy") ? null : what;
            return Optional.of(new Parsed("dhcp", mac(m.group(3)), m.group(2), file, explained(file, text)));
        }
        m = TFTP_SENT.matcher(text);
        if (m.matches()) {
            return Optional.of(tftp(m.group(2), relative(m.group(1)), text));
        }
        m = TFTP_MISSING.matcher(text);
        if (m.matches()) {
            return Optional.of(tftp(m.group(2), relative(m.group(1)), text));
        }
        m = TFTP_ERROR.matcher(text);
        if (m.matches()) {
            return Optional.of(tftp(m.group(2), null, text));
        }
        if (SERVICE.matcher(text).matches() || FATAL.matcher(text).matches()) {
            return Optional.of(new Parsed("service", null, null, null, text));
        }
        return Optional.empty();
    }

    private Parsed tftp(String ip, String file, String text) {
        return new Parsed("tftp", macs.macOf(ip).orElse(null), ip, file, explained(file, text));
    }

    /** The log line, after what is missing when the file stands for an architecture the site has no iPXE for. */
    private static String explained(String file, String text) {
        return file == null
                ? text
                : DnsmasqConfig.notConfigured(file)
                        .map(arch -> "this site has no iPXE for " + arch.label() + " hosts: set " + arch.field()
                                + "Url with PUT /api/distributors/{id} (" + text + ")")
                        .orElse(text);
    }

    private String relative(String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        return p.startsWith(tftpRoot) ? tftpRoot.relativize(p).toString() : path;
    }

    private static String mac(String mac) {
        return mac.toLowerCase(Locale.ROOT);
    }
}
