package io.clusterplatform.provisioner.distributor.mesh;

import io.clusterplatform.provisioner.core.mesh.RelayProbe;
import io.clusterplatform.provisioner.core.mesh.WireguardMessages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>All ports are served by one selector loop per processor with one receive buffer each (a pair
 * costs its two sockets, not a thread and a buffer per port); a datagram is forwarded by the loop
 * that received it, and dropped (counted) when the other port's send buffer is full.
 *
 * <p>The relay's endpoint port itself answers probes ({@link RelayProbe}), by which nodes measure
 * their round trip to each relay and the server chooses the nearest for each pair.
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
        Running running;
        Side other;

        Side(DatagramChannel channel, String key) {
            this.channel = channel;
            this.key = key;
            this.mac1KeyOfThis = WireguardMessages.mac1Key(key);
        }
    }

    private static final class Running {
        final Pair pair;
        final Side a;
        final Side b;
        final Loop loop;
        final AtomicLong forwarded = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();

        Running(Pair pair, Side a, Side b, Loop loop) {
            this.pair = pair;
            this.a = a;
            this.b = b;
            this.loop = loop;
            a.running = this;
            b.running = this;
            a.other = b;
            b.other = a;
        }
    }

    /**
     * One selector thread and one receive buffer for the ports of many pairs. Ports are registered
     * and closed on the loop's own thread ({@link #onLoop(Callable)}): a channel closed while registered
     * keeps its port until its selector deregisters it, so {@link #remove} returns only once the
     * loop has, and the port may be given out again at once.
     */
    private final class Loop implements Runnable {
        final Selector selector;
        final Thread thread;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        final byte[] head = new byte[148];
        final java.util.Queue<FutureTask<?>> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile boolean closed;

        Loop(int index) throws IOException {
            this.selector = Selector.open();
            this.thread =
                    Thread.ofPlatform().daemon().name("relay-loop-" + index).start(this);
        }

        <T> T onLoop(Callable<T> task) throws IOException {
            FutureTask<T> future = new FutureTask<>(task);
            tasks.add(future);
            selector.wakeup();
            try {
                return future.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("the relay's loop did not answer within 10 s", e);
            }
        }

        @Override
        public void run() {
            while (!closed) {
                try {
                    selector.select();
                    FutureTask<?> task;
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                    selector.selectNow(); // deregisters what the tasks closed
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (key.isValid() && key.isReadable()) {
                            if (key.attachment() instanceof Side side) {
                                drain(side);
                            } else {
                                answer((DatagramChannel) key.channel());
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                } catch (ClosedSelectorException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    log.warn("relay loop: {}", e.toString());
                }
            }
        }

        /** Forwards every datagram waiting on {@code from}'s port. */
        private void drain(Side from) {
            Running pair = from.running;
            Side to = from.other;
            while (true) {
                SocketAddress source;
                try {
                    buffer.clear();
                    source = from.channel.receive(buffer);
                } catch (IOException e) {
                    log.debug("relay port {}: {}", portOf(from), e.toString());
                    return;
                }
                if (source == null) {
                    return;
                }
                buffer.flip();
                int length = buffer.remaining();
                buffer.get(0, head, 0, Math.min(length, head.length));
                if (!accept(from, to, source, head, length)) {
                    pair.dropped.incrementAndGet();
                    continue;
                }
                SocketAddress destination = to.latched;
                if (destination == null) {
                    pair.dropped.incrementAndGet(); // the other node has not reached the relay yet
                    continue;
                }
                // Counted before it leaves: whoever receives it sees it counted.
                pair.forwarded.incrementAndGet();
                pair.bytes.addAndGet(length);
                boolean sent;
                try {
                    sent = to.channel.send(buffer, destination) > 0; // 0: the socket's send buffer is full
                } catch (IOException e) {
                    sent = false;
                    log.debug("relay port {}: sending to {}: {}", portOf(to), destination, e.toString());
                }
                if (!sent) {
                    pair.forwarded.decrementAndGet();
                    pair.bytes.addAndGet(-length);
                    pair.dropped.incrementAndGet();
                }
            }
        }

        /** Sends every probe waiting on the probe port back where it came from ({@link RelayProbe}). */
        private void answer(DatagramChannel probes) {
            while (true) {
                SocketAddress source;
                try {
                    buffer.clear();
                    source = probes.receive(buffer);
                    if (source == null) {
                        return;
                    }
                    buffer.flip();
                    int length = buffer.remaining();
                    buffer.get(0, head, 0, Math.min(length, head.length));
                    if (RelayProbe.isProbe(head, length)) {
                        probes.send(buffer, source);
                        answered.incrementAndGet();
                    }
                } catch (IOException e) {
                    log.debug("relay probe port: {}", e.toString());
                    return;
                }
            }
        }

        void close() {
            closed = true;
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("closing a relay loop: {}", e.toString());
            }
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final InetAddress bind;
    private final Map<Pair, Running> pairs = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private DatagramChannel probePort;
    private final List<Loop> loops = new java.util.ArrayList<>();
    private int nextLoop;

    /**
     * A relay whose ports are bound to {@code bind} (the address its endpoint names, or the wildcard),
     * with one selector loop per processor.
     */
    public RelayForwarder(InetAddress bind) {
        this.bind = bind;
        int count = Math.max(1, Runtime.getRuntime().availableProcessors());
        try {
            for (int i = 0; i < count; i++) {
                loops.add(new Loop(i));
            }
        } catch (IOException e) {
            loops.forEach(Loop::close);
            throw new java.io.UncheckedIOException("cannot open a selector for the relay", e);
        }
    }

    /**
     * Answers probes on {@code port} (the relay's endpoint port; its pairs' ports are above it), by
     * which nodes measure their round trip to the relay and choose the nearest.
     */
    public synchronized void answerProbes(int port) throws IOException {
        if (probePort != null) {
            throw new IllegalStateException("probes are answered on port " + portOf(probePort) + " already");
        }
        DatagramChannel channel = open(port);
        Loop loop = loops.get(0);
        try {
            loop.onLoop(() -> channel.register(loop.selector, SelectionKey.OP_READ, null));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        probePort = channel;
    }

    /** How many probes the relay has answered. */
    public long probesAnswered() {
        return answered.get();
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
        Loop loop = loops.get(nextLoop++ % loops.size());
        Running running = new Running(pair, new Side(a, pair.keyA()), new Side(b, pair.keyB()), loop);
        try {
            loop.onLoop(() -> {
                a.register(loop.selector, SelectionKey.OP_READ, running.a);
                b.register(loop.selector, SelectionKey.OP_READ, running.b);
                return null;
            });
        } catch (IOException e) {
            closeOn(loop, running);
            throw e;
        }
        pairs.put(pair, running);
        log.info("relaying {} (port {}) <-> {} (port {})", pair.keyA(), pair.portA(), pair.keyB(), pair.portB());
    }

    /** Stops relaying {@code pair} and frees its ports (they are free when this returns). */
    public synchronized void remove(Pair pair) {
        Running running = pairs.remove(pair);
        if (running != null) {
            closeOn(running.loop, running);
        }
    }

    private static void closeOn(Loop loop, Running running) {
        try {
            loop.onLoop(() -> {
                for (DatagramChannel channel : List.of(running.a.channel, running.b.channel)) {
                    SelectionKey key = channel.keyFor(loop.selector);
                    if (key != null) {
                        key.cancel();
                    }
                    channel.close();
                }
                loop.selector.selectNow(); // deregisters the two channels: their ports are free now
                return null;
            });
        } catch (IOException e) {
            log.warn("closing the ports of a relayed pair: {}", e.getMessage());
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
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw new IOException(
                    "cannot bind the relay's port " + port + " on " + bind.getHostAddress() + ": " + e.getMessage(), e);
        }
        return channel;
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
        return portOf(side.channel);
    }

    private static String portOf(DatagramChannel channel) {
        try {
            return String.valueOf(((InetSocketAddress) channel.getLocalAddress()).getPort());
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    @Override
    public synchronized void close() {
        for (Running running : pairs.values()) {
            closeOn(running.loop, running);
        }
        pairs.clear();
        if (probePort != null) {
            try {
                probePort.close();
            } catch (IOException e) {
                log.debug("closing the probe port: {}", e.toString());
            }
        }
        loops.forEach(Loop::close);
    }
}
