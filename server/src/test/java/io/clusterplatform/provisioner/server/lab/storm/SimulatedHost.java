package io.clusterplatform.provisioner.server.lab.storm;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PXE host of a boot storm, as real packets: the firmware's DHCPDISCOVER (retransmitted after 4,
 * 8, 16 and 32 s, each +-1 s, as PXE ROMs do) until a proxyDHCP offer comes, its boot server request to port 4011
 * of the proxy (1, 2, 4, 8 s) for the boot file, the TFTP read of that file (see {@link TftpClient}),
 * then, as iPXE: DHCP again with user class {@code iPXE} (1, 2, 4, 8 s) for the script URL, the script,
 * the {@code chain}ed mainscript and subscript, the subscript's {@code kernel} and {@code initrd} on one
 * kept-alive connection; then as the installer the kickstart named by {@code inst.ks=}, and as its
 * {@code %post} the registration the kickstart's {@code curl} line names, with {@code ${ip}} filled in.
 *
 * <p>Not simulated: the ordinary DHCP lease (the host has its address already, as with a static
 * reservation; proxyDHCP does not need one), executing what it downloads, ARP per host address.
 */
public final class SimulatedHost {
    /** The steps of a boot, in order; a report names the time each ended, from the first DISCOVER. */
    public enum Step {
        DHCP,
        BOOT_SERVER,
        TFTP,
        IPXE_DHCP,
        SCRIPT,
        MAINSCRIPT,
        SUBSCRIPT,
        KERNEL,
        INITRD,
        KICKSTART,
        REGISTER;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace("_", "");
        }
    }

    private static final long[] FIRMWARE_DISCOVER_MS = {4000, 8000, 16000, 32000};
    private static final long[] SHORT_MS = {1000, 2000, 4000, 8000};
    private static final Pattern CHAIN = Pattern.compile("(?m)^\\s*chain\\s+(?:--\\S+\\s+)*(\\S+)");
    private static final Pattern KERNEL = Pattern.compile("(?m)^\\s*kernel\\s+(?:--\\S+\\s+)*(\\S+)(.*)$");
    private static final Pattern INITRD = Pattern.compile("(?m)^\\s*initrd\\s+(?:--\\S+\\s+)*(\\S+)");
    private static final Pattern KICKSTART = Pattern.compile("(?:^|\\s)inst\\.ks=(\\S+)");
    private static final Pattern REGISTRATION =
            Pattern.compile("curl[^\\n]*?\"(https?://[^\"]+/api/localnodes[^\"]*)\"");

    private final int index;
    private final byte[] mac;
    private final InetAddress address;
    private final int arch;
    private final int blksize;
    private final DhcpPort port;

    /** What happened: the time each step ended (ms after the first DISCOVER), retries, and a failure. */
    public static final class Report {
        final Map<Step, Long> endedAt = new EnumMap<>(Step.class);
        long startedAt; // ms after the storm's start
        int dhcpRetries;
        int tftpRetries;
        int tftpStrays;
        long tftpBytes;
        long httpBytes;
        Step failedAt;
        String reason;

        /** One line: {@code HOST <index> <mac> <ip> <arch> ok|failed <step> k=v ... reason=<text>}. */
        String line(SimulatedHost host) {
            StringBuilder s = new StringBuilder("HOST ")
                    .append(host.index)
                    .append(' ')
                    .append(HexFormat.ofDelimiter(":").formatHex(host.mac))
                    .append(' ')
                    .append(host.address.getHostAddress())
                    .append(' ')
                    .append(host.arch == DhcpPacket.ARCH_BIOS ? "bios" : "efi")
                    .append(' ')
                    .append(failedAt == null ? "ok -" : "failed " + failedAt.key())
                    .append(" start=")
                    .append(startedAt);
            for (Step step : Step.values()) {
                s.append(' ').append(step.key()).append('=');
                Long at = endedAt.get(step);
                s.append(at == null ? "-" : at.toString());
            }
            s.append(" dhcpRetries=")
                    .append(dhcpRetries)
                    .append(" tftpRetries=")
                    .append(tftpRetries)
                    .append(" tftpStrays=")
                    .append(tftpStrays)
                    .append(" tftpBytes=")
                    .append(tftpBytes)
                    .append(" httpBytes=")
                    .append(httpBytes)
                    .append(" reason=")
                    .append(reason == null ? "-" : reason.replaceAll("\\s+", " "));
            return s.toString();
        }
    }

    private static final class Failure extends Exception {
        final Step step;

        Failure(Step step, String message) {
            super(message);
            this.step = step;
        }
    }

    public SimulatedHost(int index, byte[] mac, InetAddress address, int arch, int blksize, DhcpPort port) {
        this.index = index;
        this.mac = mac.clone();
        this.address = address;
        this.arch = arch;
        this.blksize = blksize;
        this.port = port;
    }

    /** Boots once, giving up {@code deadlineMillis} after the first DISCOVER; returns the report line. */
    public String boot(long stormStartNanos, long deadlineMillis) {
        Report report = new Report();
        long start = System.nanoTime();
        report.startedAt = (start - stormStartNanos) / 1_000_000;
        long deadline = start + deadlineMillis * 1_000_000;
        Step current = Step.DHCP;
        try (DatagramSocket own = DhcpPort.bind(address)) {
            // Firmware: proxyDHCP offer, then the boot file from the proxy's port 4011.
            DhcpPacket offer = discover(false, FIRMWARE_DISCOVER_MS, report, deadline);
            mark(report, Step.DHCP, start);
            current = Step.BOOT_SERVER;
            DhcpPacket ack = bootServer(own, offer, false, report, deadline);
            mark(report, Step.BOOT_SERVER, start);
            String file = ack.bootFile().orElseThrow(() -> new Failure(Step.BOOT_SERVER, "the ACK names no file"));
            InetAddress tftpServer =
                    ack.nextServer().orElseThrow(() -> new Failure(Step.BOOT_SERVER, "the ACK names no next server"));

            current = Step.TFTP;
            try {
                TftpClient.Result read = TftpClient.read(address, tftpServer, file, blksize, deadline);
                report.tftpRetries += read.rrqRetries() + read.ackRetries();
                report.tftpStrays = read.strays();
                report.tftpBytes = read.bytes();
            } catch (TftpClient.TftpException e) {
                report.tftpRetries += e.retries();
                throw e;
            }
            mark(report, Step.TFTP, start);

            // iPXE: DHCP again, as iPXE, for the script URL.
            current = Step.IPXE_DHCP;
            DhcpPacket ipxeOffer = discover(true, SHORT_MS, report, deadline);
            DhcpPacket ipxeAck = bootServer(own, ipxeOffer, true, report, deadline);
            URI script = URI.create(ipxeAck.bootFile()
                    .filter(f -> f.startsWith("http"))
                    .orElseThrow(() -> new Failure(Step.IPXE_DHCP, "iPXE was told no script URL: " + ipxeAck)));
            mark(report, Step.IPXE_DHCP, start);

            try (HttpConnection ipxe = new HttpConnection(address, "iPXE/1.21.1+")) {
                current = Step.SCRIPT;
                URI mainscript = follow(script, text(ipxe, script, Step.SCRIPT, report, deadline), CHAIN, Step.SCRIPT);
                mark(report, Step.SCRIPT, start);
                current = Step.MAINSCRIPT;
                URI subscript =
                        follow(mainscript, text(ipxe, mainscript, Step.MAINSCRIPT, report, deadline), CHAIN, current);
                mark(report, Step.MAINSCRIPT, start);
                current = Step.SUBSCRIPT;
                String sub = text(ipxe, subscript, Step.SUBSCRIPT, report, deadline);
                Matcher kernelLine = KERNEL.matcher(sub);
                if (!kernelLine.find()) {
                    throw new Failure(Step.SUBSCRIPT, "the subscript has no kernel line");
                }
                URI kernel = subscript.resolve(kernelLine.group(1));
                Matcher ks = KICKSTART.matcher(kernelLine.group(2));
                if (!ks.find()) {
                    throw new Failure(Step.SUBSCRIPT, "the kernel line has no inst.ks=");
                }
                URI kickstart = subscript.resolve(ks.group(1));
                URI initrd = follow(subscript, sub, INITRD, Step.SUBSCRIPT);
                mark(report, Step.SUBSCRIPT, start);
                current = Step.KERNEL;
                fetch(ipxe, kernel, Step.KERNEL, report, deadline);
                mark(report, Step.KERNEL, start);
                current = Step.INITRD;
                fetch(ipxe, initrd, Step.INITRD, report, deadline);
                mark(report, Step.INITRD, start);

                current = Step.KICKSTART;
                String text;
                try (HttpConnection installer = new HttpConnection(address, "anaconda/39")) {
                    text = text(installer, kickstart, Step.KICKSTART, report, deadline);
                }
                Matcher register = REGISTRATION.matcher(text);
                if (!register.find()) {
                    throw new Failure(Step.KICKSTART, "the kickstart has no curl line registering at /api/localnodes");
                }
                mark(report, Step.KICKSTART, start);

                current = Step.REGISTER;
                URI registration = kickstart.resolve(register.group(1).replace("${ip}", address.getHostAddress()));
                try (HttpConnection curl = new HttpConnection(address, "curl/7.88.1")) {
                    HttpConnection.Response answer = curl.post(registration, deadline);
                    if (answer.status() / 100 != 2) {
                        throw new Failure(Step.REGISTER, "HTTP " + answer.status() + ": " + answer.text());
                    }
                }
                mark(report, Step.REGISTER, start);
            }
        } catch (Failure f) {
            report.failedAt = f.step;
            report.reason = f.getMessage();
        } catch (IOException | RuntimeException e) {
            report.failedAt = current;
            report.reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.failedAt = current;
            report.reason = "interrupted";
        }
        return report.line(this);
    }

    /** DISCOVER until a proxy offer comes, with these timeouts; counts the retransmissions. */
    private DhcpPacket discover(boolean ipxe, long[] timeouts, Report report, long deadline)
            throws IOException, InterruptedException, Failure {
        Step step = ipxe ? Step.IPXE_DHCP : Step.DHCP;
        int xid = ThreadLocalRandom.current().nextInt();
        DhcpPacket discover = DhcpPacket.pxeDiscover(xid, mac, arch, ipxe);
        port.expect(xid);
        try {
            for (int i = 0; i < timeouts.length; i++) {
                // RFC 2131 4.1: firmware randomizes each retransmission delay by -1 to +1 s.
                long jitter = ipxe ? 0 : ThreadLocalRandom.current().nextLong(-1000, 1001);
                long wait = Math.min(timeouts[i] + jitter, remaining(deadline, step));
                if (i > 0) {
                    report.dhcpRetries++;
                }
                port.broadcast(discover);
                DhcpPacket offer = port.await(
                        xid,
                        p -> p.messageType() == DhcpPacket.OFFER
                                && p.isProxyOffer()
                                && java.util.Arrays.equals(java.util.Arrays.copyOf(p.chaddr(), 6), mac),
                        wait);
                if (offer != null) {
                    return offer;
                }
            }
        } finally {
            port.done(xid);
        }
        throw new Failure(step, "no proxyDHCP offer after " + timeouts.length + " DISCOVERs");
    }

    /** The boot server request to the proxy's port 4011, for the first item of its menu (if it sent one). */
    private DhcpPacket bootServer(DatagramSocket own, DhcpPacket offer, boolean ipxe, Report report, long deadline)
            throws IOException, Failure {
        Step step = ipxe ? Step.IPXE_DHCP : Step.BOOT_SERVER;
        InetAddress server = offer.option(DhcpPacket.OPT_SERVER_ID)
                .filter(b -> b.length == 4)
                .map(DhcpPacket::address)
                .or(offer::nextServer)
                .orElseThrow(() -> new Failure(step, "the proxy offer names no server"));
        int item = offer.firstMenuItem().orElse(-1);
        int xid = ThreadLocalRandom.current().nextInt();
        DhcpPacket request = DhcpPacket.pxeRequest(xid, mac, arch, ipxe, address, item);
        for (int i = 0; i < SHORT_MS.length; i++) {
            if (i > 0) {
                report.dhcpRetries++;
            }
            DhcpPacket ack = DhcpPort.exchange(
                    own,
                    request,
                    new InetSocketAddress(server, 4011),
                    p -> p.messageType() == DhcpPacket.ACK,
                    Math.min(SHORT_MS[i], remaining(deadline, step)));
            if (ack != null) {
                return ack;
            }
        }
        throw new Failure(
                step, "no answer from " + server.getHostAddress() + ":4011 after " + SHORT_MS.length + " tries");
    }

    private static String text(HttpConnection http, URI uri, Step step, Report report, long deadline)
            throws IOException, Failure {
        HttpConnection.Response r = http.get(uri, deadline);
        report.httpBytes += r.length();
        if (r.status() != 200) {
            throw new Failure(step, "GET " + uri + ": HTTP " + r.status());
        }
        return r.text();
    }

    private static void fetch(HttpConnection http, URI uri, Step step, Report report, long deadline)
            throws IOException, Failure {
        HttpConnection.Response r = http.get(uri, deadline);
        report.httpBytes += r.length();
        if (r.status() != 200 || r.length() == 0) {
            throw new Failure(step, "GET " + uri + ": HTTP " + r.status() + ", " + r.length() + " bytes");
        }
    }

    private static URI follow(URI base, String text, Pattern pattern, Step step) throws Failure {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new Failure(step, "no " + pattern.pattern() + " in " + base + ": " + abbreviate(text));
        }
        return base.resolve(m.group(1));
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static long remaining(long deadline, Step step) throws Failure {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new Failure(step, "the host's deadline passed");
        }
        return left;
    }

    private static void mark(Report report, Step step, long start) {
        report.endedAt.put(step, (System.nanoTime() - start) / 1_000_000);
    }

    /** The host's MAC, for tests. */
    public String mac() {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }
}
