package io.clusterplatform.provisioner.server.lab.storm;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The simulated hosts of a boot storm as a process of their own, started inside the hosts' network
 * namespace ({@code ip netns exec <ns> java -cp <test classpath> ...StormHosts ...}): a JVM's sockets
 * all live in the namespace it was started in. Commands:
 *
 * <ul>
 *   <li>{@code storm <count> <first-ip> <mac-prefix> <deadline-s> <blksize>}: {@code count} hosts on
 *       virtual threads, host {@code i} with address {@code first-ip + i} and MAC {@code
 *       <mac-prefix>:<i as 3 bytes>}, even ones BIOS, odd ones x86-64 EFI, all starting at once; one
 *       {@code HOST ...} line each when it is done (see {@link SimulatedHost.Report}), then {@code
 *       STORM total=<ms> udpReceiveBufferErrors=<n>};
 *   <li>{@code dhcp <mac> <ip> <arch> <ipxe true|false>}: one host's proxy offer and boot server ACK,
 *       printed as {@code OFFER ...} and {@code ACK file=<file> next=<ip>};
 *   <li>{@code tftp <local-ip> <server-ip> <file> <blksize>}: one read, printed as {@code TFTP bytes=<n>
 *       sha256=<hex> blksize=<n> retries=<n>}.
 * </ul>
 */
public final class StormHosts {
    private StormHosts() {}

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "storm" ->
                storm(
                        Integer.parseInt(args[1]),
                        InetAddress.getByName(args[2]),
                        args[3],
                        Long.parseLong(args[4]),
                        Integer.parseInt(args[5]));
            case "dhcp" ->
                dhcp(
                        HexFormat.ofDelimiter(":").parseHex(args[1]),
                        InetAddress.getByName(args[2]),
                        Integer.parseInt(args[3]),
                        Boolean.parseBoolean(args[4]));
            case "tftp" -> {
                TftpClient.Result r = TftpClient.read(
                        InetAddress.getByName(args[1]),
                        InetAddress.getByName(args[2]),
                        args[3],
                        Integer.parseInt(args[4]),
                        System.nanoTime() + 60_000_000_000L);
                System.out.println("TFTP bytes=" + r.bytes() + " sha256=" + r.sha256() + " blksize=" + r.blockSize()
                        + " retries=" + (r.rrqRetries() + r.ackRetries()));
            }
            default -> {
                System.err.println("usage: storm|dhcp|tftp ... (see the class comment)");
                System.exit(2);
            }
        }
    }

    private static void storm(int count, InetAddress first, String macPrefix, long deadlineSeconds, int blksize)
            throws Exception {
        byte[] prefix = HexFormat.ofDelimiter(":").parseHex(macPrefix);
        if (prefix.length != 3) {
            throw new IllegalArgumentException("the MAC prefix has 3 bytes: " + macPrefix);
        }
        long base = Integer.toUnsignedLong(
                java.nio.ByteBuffer.wrap(first.getAddress()).getInt());
        List<SimulatedHost> hosts = new ArrayList<>();
        try (DhcpPort port = DhcpPort.open()) {
            for (int i = 0; i < count; i++) {
                byte[] mac = {prefix[0], prefix[1], prefix[2], (byte) (i >> 16), (byte) (i >> 8), (byte) i};
                InetAddress address = InetAddress.getByAddress(
                        java.nio.ByteBuffer.allocate(4).putInt((int) (base + i)).array());
                int arch = i % 2 == 0 ? DhcpPacket.ARCH_BIOS : DhcpPacket.ARCH_EFI_X64;
                hosts.add(new SimulatedHost(i, mac, address, arch, blksize, port));
            }
            long errorsBefore = udpReceiveBufferErrors();
            CountDownLatch go = new CountDownLatch(1);
            long[] start = new long[1];
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (SimulatedHost host : hosts) {
                    threads.submit(() -> {
                        go.await();
                        System.out.println(host.boot(start[0], deadlineSeconds * 1000));
                        return null;
                    });
                }
                System.out.println("STORM hosts=" + count + " starting");
                start[0] = System.nanoTime();
                go.countDown();
            }
            long total = (System.nanoTime() - start[0]) / 1_000_000;
            System.out.println(
                    "STORM total=" + total + " udpReceiveBufferErrors=" + (udpReceiveBufferErrors() - errorsBefore));
        }
    }

    private static void dhcp(byte[] mac, InetAddress address, int arch, boolean ipxe) throws Exception {
        try (DhcpPort port = DhcpPort.open();
                DatagramSocket own = DhcpPort.bind(address)) {
            int xid = (int) System.nanoTime();
            port.expect(xid);
            port.broadcast(DhcpPacket.pxeDiscover(xid, mac, arch, ipxe));
            DhcpPacket offer = port.await(xid, DhcpPacket::isProxyOffer, 10_000);
            if (offer == null) {
                System.out.println("NO OFFER");
                return;
            }
            System.out.println(
                    "OFFER " + offer + " menu=" + offer.firstMenuItem().orElse(-1));
            DhcpPacket ack = DhcpPort.exchange(
                    own,
                    DhcpPacket.pxeRequest(
                            xid + 1,
                            mac,
                            arch,
                            ipxe,
                            address,
                            offer.firstMenuItem().orElse(-1)),
                    new InetSocketAddress(offer.nextServer().orElseThrow(), 4011),
                    p -> p.messageType() == DhcpPacket.ACK,
                    10_000);
            if (ack == null) {
                System.out.println("NO ACK");
                return;
            }
            System.out.println("ACK file=" + ack.bootFile().orElse("-") + " next="
                    + ack.nextServer().map(InetAddress::getHostAddress).orElse("-"));
        }
    }

    /** The kernel's count of UDP datagrams dropped for a full receive buffer, in this namespace. */
    static long udpReceiveBufferErrors() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    for (int k = 0; k < names.length; k++) {
                        if (names[k].equals("RcvbufErrors")) {
                            return Long.parseLong(values[k]);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
