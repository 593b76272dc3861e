package io.clusterplatform.provisioner.server.lab.storm;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The DHCP client port 68 that every simulated host of one process shares, the way their NICs share
 * one LAN: broadcasts go out to 255.255.255.255:67 from {@code 0.0.0.0:68}, and the servers'
 * broadcast answers come back here, where one receiver hands each to the host waiting on its
 * transaction id. A host's unicast exchange (to a proxyDHCP server's port 4011) uses a socket of its
 * own, {@link #bind(InetAddress)}, bound to its address and port 68 beside this one.
 */
public final class DhcpPort implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<Integer, BlockingQueue<DhcpPacket>> waiting = new ConcurrentHashMap<>();
    private final Thread receiver;
    private volatile boolean closed;

    private DhcpPort(DatagramSocket socket) {
        this.socket = socket;
        this.receiver = Thread.ofPlatform()
                .daemon()
                .name("dhcp-port-68")
                .priority(Thread.MAX_PRIORITY)
                .start(this::receive);
    }

    /** Binds {@code 0.0.0.0:68} (shared with the hosts' own sockets through SO_REUSEADDR). */
    public static DhcpPort open() throws SocketException {
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.setBroadcast(true);
        socket.setReceiveBufferSize(4 * 1024 * 1024); // the kernel caps it at net.core.rmem_max
        socket.bind(new InetSocketAddress(DhcpPacket.address(new byte[4]), 68));
        return new DhcpPort(socket);
    }

    /** A socket of one host: {@code address:68}, for its unicast exchanges. */
    public static DatagramSocket bind(InetAddress address) throws SocketException {
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(address, 68));
        return socket;
    }

    /** Starts collecting answers for {@code xid}; call before sending, then {@link #await}, then {@link #done}. */
    public void expect(int xid) {
        waiting.put(xid, new ArrayBlockingQueue<>(16));
    }

    public void done(int xid) {
        waiting.remove(xid);
    }

    public void broadcast(DhcpPacket packet) throws IOException {
        ByteBuffer b = packet.encode();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("255.255.255.255", 67)));
    }

    /** The first answer to {@code xid} that {@code wanted} accepts within {@code millis}, or null. */
    public DhcpPacket await(int xid, Predicate<DhcpPacket> wanted, long millis) throws InterruptedException {
        BlockingQueue<DhcpPacket> queue = waiting.get(xid);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            DhcpPacket p = queue.poll(left, TimeUnit.NANOSECONDS);
            if (p != null && wanted.test(p)) {
                return p;
            }
        }
    }

    /** Sends {@code packet} from {@code socket} to {@code to} and waits up to {@code millis} for an answer. */
    public static DhcpPacket exchange(
            DatagramSocket socket, DhcpPacket packet, InetSocketAddress to, Predicate<DhcpPacket> wanted, long millis)
            throws IOException {
        ByteBuffer b = packet.encode();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) left);
            try {
                in.setLength(1500);
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                return null;
            }
            try {
                DhcpPacket reply = DhcpPacket.parse(ByteBuffer.wrap(in.getData(), 0, in.getLength()));
                if (reply.xid() == packet.xid() && wanted.test(reply)) {
                    return reply;
                }
            } catch (IllegalArgumentException notDhcp) {
                // ignore
            }
        }
    }

    private void receive() {
        DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
        while (!closed) {
            try {
                in.setLength(1500);
                socket.receive(in);
                DhcpPacket p = DhcpPacket.parse(ByteBuffer.wrap(in.getData(), 0, in.getLength()));
                if (p.op() != DhcpPacket.BOOTREPLY) {
                    continue; // our own broadcasts, and other clients'
                }
                BlockingQueue<DhcpPacket> queue = waiting.get(p.xid());
                if (queue != null) {
                    queue.offer(p);
                }
            } catch (IllegalArgumentException notDhcp) {
                // ignore
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("dhcp port: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
