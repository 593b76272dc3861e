package io.clusterplatform.provisioner.distributor.mesh;

import io.clusterplatform.provisioner.core.mesh.WireguardMessages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of a mesh relay: forwards WireGuard datagrams between the two nodes of each relayed
 * pair, without any of their keys. Each pair has two UDP ports on the relay, one per node: node A
 * sets the relay's port for A as the endpoint of peer B, and B the port for B as the endpoint of A.
 * What arrives on A's port goes out of B's port to where B's datagrams last came from, and back; so
 * each node sees its peer at the relay's port it was given, and WireGuard needs no change at all
 * (wireguard-go, the kernel's, the shell agent's {@code wg syncconf} alike).
 *
 * <p>Where a node's datagrams come from (its NAT's mapping towards the relay) is learnt only from a
 * handshake message whose {@code mac1} is made for the other node's public key ({@link
 * WireguardMessages}): a datagram that claims the pair's port without knowing the other node's public
 * key cannot steer the pair's traffic. Transport data and cookie replies are forwarded only from the
 * address so learnt. The relay sees who talks to whom, when and how much, never what: the inner
 * packets stay encrypted between the two nodes.
 *
 * <p>Why not TURN (coturn): a TURN client must speak TURN from the socket that sends the traffic
 * (allocations, permissions, channel framing), and WireGuard's socket does not; every node would need
 * a proxy between WireGuard and the network, which the shell agent cannot run. With one port per
 * node and pair, the relay is a plain UDP endpoint to each node.
 */
public final class RelayForwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayForwarder.class);
    private static final int MAX_DATAGRAM = 65_535;

    /**
     * One relayed pair.
     *
     * @param portA the relay's port for node A: A's datagrams to B arrive there (A's endpoint for B)
     * @param keyA node A's WireGuard public key (base64)
     * @param portB the relay's port for node B
     * @param keyB node B's public key
     */
    public record Pair(int portA, String keyA, int portB, String keyB) {}

    /** What a pair's two sides have sent through the relay (datagrams and bytes forwarded, dropped). */
    public record Counters(long forwarded, long bytes, long dropped) {}

    /** One node's side of a pair: its port, and where its datagrams come from once learnt. */
    private static final class Side {
        final DatagramChannel channel;
        final String key;
        final byte[] mac1KeyOfThis;
        volatile SocketAddress latched;

        Side(DatagramChannel channel, String key) {
            this.channel = channel;
            this.key = key;
            this.mac1KeyOfThis = WireguardMessages.mac1Key(key);
        }
    }

    private final class Running {
        final Pair pair;
        final Side a;
        final Side b;
        final AtomicLong forwarded = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final List<Thread> threads;

        Running(Pair pair, Side a, Side b) {
            this.pair = pair;
            this.a = a;
            this.b = b;
            this.threads = List.of(
                    Thread.ofVirtual().name("relay-" + pair.portA()).start(() -> forward(this, a, b)),
                    Thread.ofVirtual().name("relay-" + pair.portB()).start(() -> forward(this, b, a)));
        }

        /**
         * Closes the pair's ports and waits for its two threads to leave: a channel closed while a
         * thread waits in it keeps its port until that thread has left, and the port may be given out
         * again at once.
         */
        void close() {
            for (DatagramChannel channel : List.of(a.channel, b.channel)) {
                try {
                    channel.close();
                } catch (IOException e) {
                    log.debug("closing a relay port: {}", e.toString());
                }
            }
            for (Thread thread : threads) {
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private final InetAddress bind;
    private final Map<Pair, Running> pairs = new ConcurrentHashMap<>();

    /** A relay whose ports are bound to {@code bind} (the address its endpoint names, or the wildcard). */
    public RelayForwarder(InetAddress bind) {
        this.bind = bind;
    }

    /** Starts relaying {@code pair}: binds its two ports. */
    public synchronized void add(Pair pair) throws IOException {
        if (pairs.containsKey(pair)) {
            return;
        }
        DatagramChannel a = open(pair.portA());
        DatagramChannel b;
        try {
            b = open(pair.portB());
        } catch (IOException e) {
            a.close();
            throw e;
        }
        pairs.put(pair, new Running(pair, new Side(a, pair.keyA()), new Side(b, pair.keyB())));
        log.info("relaying {} (port {}) <-> {} (port {})", pair.keyA(), pair.portA(), pair.keyB(), pair.portB());
    }

    /** Stops relaying {@code pair} and frees its ports. */
    public synchronized void remove(Pair pair) {
        Running running = pairs.remove(pair);
        if (running != null) {
            running.close();
        }
    }

    /** What {@code pair} has forwarded so far, if it is relayed. */
    public Optional<Counters> counters(Pair pair) {
        Running running = pairs.get(pair);
        return running == null
                ? Optional.empty()
                : Optional.of(new Counters(running.forwarded.get(), running.bytes.get(), running.dropped.get()));
    }

    /**
     * Where each port's node sends from, for the ports that learnt it (that node's NAT mapping towards
     * the port), as {@code ip:port} by port.
     */
    public Map<Integer, String> observed() {
        Map<Integer, String> observed = new java.util.TreeMap<>();
        for (Running running : pairs.values()) {
            note(observed, running.pair.portA(), running.a.latched);
            note(observed, running.pair.portB(), running.b.latched);
        }
        return observed;
    }

    private static void note(Map<Integer, String> observed, int port, SocketAddress latched) {
        if (latched instanceof InetSocketAddress address && address.getAddress() != null) {
            String host = address.getAddress().getHostAddress().replaceFirst("%.*", "");
            observed.put(port, (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
        }
    }

    private DatagramChannel open(int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open(
                bind.getAddress().length == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            channel.bind(new InetSocketAddress(bind, port));
        } catch (IOException e) {
            channel.close();
            throw new IOException(
                    "cannot bind the relay's port " + port + " on " + bind.getHostAddress() + ": " + e.getMessage(), e);
        }
        return channel;
    }

    /** Takes what {@code from}'s node sends and hands it to {@code to}'s node, until the pair stops. */
    private void forward(Running pair, Side from, Side to) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        byte[] head = new byte[148];
        while (true) {
            SocketAddress source;
            try {
                buffer.clear();
                source = from.channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("relay port {}: {}", portOf(from), e.toString());
                continue;
            }
            buffer.flip();
            int length = buffer.remaining();
            int inspected = Math.min(length, head.length);
            buffer.get(0, head, 0, inspected);
            if (!accept(from, to, source, head, length)) {
                pair.dropped.incrementAndGet();
                continue;
            }
            SocketAddress destination = to.latched;
            if (destination == null) {
                pair.dropped.incrementAndGet(); // the other node has not reached the relay yet
                continue;
            }
            try {
                to.channel.send(buffer, destination);
                pair.forwarded.incrementAndGet();
                pair.bytes.addAndGet(length);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                pair.dropped.incrementAndGet();
                log.debug("relay port {}: sending to {}: {}", portOf(to), destination, e.toString());
            }
        }
    }

    /**
     * Whether a datagram from {@code source} on {@code from}'s port may pass: a handshake message made
     * for {@code to}'s key (which also teaches where {@code from}'s node is), or other WireGuard
     * messages from where its node is.
     */
    private static boolean accept(Side from, Side to, SocketAddress source, byte[] head, int length) {
        Optional<WireguardMessages.Type> type = WireguardMessages.type(head, length);
        if (type.isEmpty()) {
            return false;
        }
        if (type.get().isHandshake()) {
            if (!WireguardMessages.isFor(type.get(), head, length, to.mac1KeyOfThis)) {
                return false;
            }
            if (!source.equals(from.latched)) {
                log.info("node {} is at {} (relay port {})", from.key, source, portOf(from));
                from.latched = source;
            }
            return true;
        }
        return source.equals(from.latched);
    }

    private static String portOf(Side side) {
        try {
            return String.valueOf(((InetSocketAddress) side.channel.getLocalAddress()).getPort());
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    @Override
    public synchronized void close() {
        pairs.values().forEach(Running::close);
        pairs.clear();
    }
}
