package io.clusterplatform.provisioner.server.lab;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A packet capture of one host's boot on the lab's LAN bridge (tcpdump in the LAN namespace), read
 * back with tshark as a list of what the host sent and was sent, timed from the host's power-on: where
 * the seconds of a boot go (IPv6 router solicitations, DHCP and proxyDHCP, PXE boot server, TFTP, each
 * HTTP request). For benchmarks only: it needs tcpdump and tshark (scripts/run-benchmark.sh installs
 * them).
 */
final class BootCapture implements AutoCloseable {
    /** One packet: seconds since power-on, who sent it, the protocol and tshark's summary. */
    record Packet(double at, String from, String to, String protocol, String info) {
        String line() {
            return String.format(Locale.ROOT, "%7.3f  %-15s -> %-15s %-8s %s", at, from, to, protocol, info);
        }
    }

    private final Path pcap;
    private final Lab.Daemon tcpdump;
    private final double powerOnEpoch;

    private BootCapture(Path pcap, Lab.Daemon tcpdump, double powerOnEpoch) {
        this.pcap = pcap;
        this.tcpdump = tcpdump;
        this.powerOnEpoch = powerOnEpoch;
    }

    /**
     * Starts capturing on the LAN bridge what {@code mac} sends or receives and every DHCP packet
     * (offers may go to the broadcast address), and waits until tcpdump listens; call it just before
     * powering the host on, which it takes as time zero.
     */
    static BootCapture start(Lab lab, String mac, Path pcap) {
        try {
            Files.createDirectories(pcap.getParent());
            Files.deleteIfExists(pcap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lab.Daemon tcpdump = lab.startProcess(
                lab.lanNamespace(),
                "tcpdump-" + mac.replace(':', '-'),
                List.of(
                        "tcpdump",
                        "-i",
                        "br0",
                        "-n",
                        "-U",
                        "-w",
                        pcap.toString(),
                        "ether host " + mac + " or udp port 67 or udp port 68 or udp port 4011"));
        long deadline =
                System.nanoTime() + Timeouts.scaled(Duration.ofSeconds(10)).toNanos();
        while (!tcpdump.output().contains("listening on")) {
            if (!tcpdump.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("tcpdump did not start: " + tcpdump.output());
            }
            Thread.onSpinWait();
        }
        return new BootCapture(pcap, tcpdump, System.currentTimeMillis() / 1000.0);
    }

    /** Stops the capture and reads it back. */
    List<Packet> stop() {
        tcpdump.close();
        Shell.Result read = Shell.run(
                List.of(
                        "tshark",
                        "-r",
                        pcap.toString(),
                        "-T",
                        "fields",
                        "-E",
                        "separator=/t",
                        "-e",
                        "frame.time_epoch",
                        "-e",
                        "_ws.col.Source",
                        "-e",
                        "_ws.col.Destination",
                        "-e",
                        "_ws.col.Protocol",
                        "-e",
                        "_ws.col.Info"),
                Timeouts.process());
        if (read.exitCode() != 0) {
            throw new AssertionError("tshark could not read " + pcap + ": " + read.stderr());
        }
        List<Packet> packets = new ArrayList<>();
        for (String line : read.stdout().lines().toList()) {
            String[] f = line.split("\t", -1);
            if (f.length < 5) {
                continue;
            }
            packets.add(new Packet(Double.parseDouble(f[0]) - powerOnEpoch, f[1], f[2], f[3], f[4]));
        }
        return packets;
    }

    /**
     * The packets worth reading in a boot's story: everything but TCP segments without a request or
     * answer line and TFTP data blocks and their acknowledgements (their first and last are kept).
     */
    static List<Packet> story(List<Packet> packets) {
        List<Packet> kept = new ArrayList<>();
        Packet lastTftp = null;
        boolean inTftp = false;
        for (Packet p : packets) {
            boolean tftpBulk = p.protocol().equals("TFTP")
                    && (p.info().startsWith("Data Packet") || p.info().startsWith("Acknowledgement"));
            if (tftpBulk) {
                if (!inTftp) {
                    kept.add(p);
                    inTftp = true;
                }
                lastTftp = p;
                continue;
            }
            if (inTftp && lastTftp != null) {
                kept.add(lastTftp);
            }
            inTftp = false;
            lastTftp = null;
            if (p.protocol().equals("TCP") || p.protocol().equals("ARP")) {
                continue;
            }
            kept.add(p);
        }
        if (inTftp && lastTftp != null) {
            kept.add(lastTftp);
        }
        return kept;
    }

    @Override
    public void close() {
        tcpdump.close();
    }
}
