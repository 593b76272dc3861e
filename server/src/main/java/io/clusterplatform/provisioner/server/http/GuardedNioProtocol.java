package io.clusterplatform.provisioner.server.http;

import io.clusterplatform.provisioner.core.nodes.IpPrefix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's NIO connector with two limits it does not have ({@link ConnectionLimits}). Tomcat's
 * timeouts apply to each read, so a client that sends a header byte every few seconds keeps a
 * connection forever; and nothing stops one address from taking every connection. So:
 *
 * <ul>
 *   <li>once a second a watchdog closes connections whose request line and headers are still being
 *       read {@code headerTimeout} after their first byte (Tomcat's processor for them is parked
 *       waiting for bytes, in its parse stage; a request being answered, a long poll included, is
 *       never touched);
 *   <li>a connection is closed as it is accepted when its address already holds {@code
 *       maxConnectionsPerAddress}: the endpoint's connection map counts them per address, as Tomcat
 *       adds and removes every connection there.
 * </ul>
 *
 * Hand-written: Tomcat has neither limit and offers these hooks (its endpoint's map, its accept
 * step, its parked processors); a reverse proxy in front (HAProxy's {@code timeout http-request})
 * does the same for deployments that have one.
 */
public class GuardedNioProtocol extends Http11NioProtocol {
    private static final Logger log = LoggerFactory.getLogger(GuardedNioProtocol.class);

    public GuardedNioProtocol() {
        super(new GuardedEndpoint());
    }

    /**
     * Applies the limits; connections from {@code uncapped} (the trusted proxies, addresses or
     * networks, through which many clients come) are not counted against the per-address cap. Tomcat's own connection timeout,
     * which bounds every read and write of a request, stays as it is: only idle keep-alive
     * connections get the header timeout.
     */
    void limit(ConnectionLimits limits, java.util.Collection<String> uncapped) {
        GuardedEndpoint endpoint = (GuardedEndpoint) getEndpoint();
        endpoint.limits = limits;
        endpoint.uncapped = ClientAddress.prefixes(List.copyOf(uncapped));
        setKeepAliveTimeout((int) limits.headerTimeout().toMillis());
    }

    static final class GuardedEndpoint extends NioEndpoint {
        private volatile ConnectionLimits limits = new ConnectionLimits(java.time.Duration.ofSeconds(20), 512);
        private volatile List<IpPrefix> uncapped = List.of();
        private final CountingMap counting = new CountingMap();
        private final AtomicLong refused = new AtomicLong();
        private ScheduledExecutorService watchdog;

        GuardedEndpoint() {
            connections = counting;
        }

        @Override
        protected boolean setSocketOptions(SocketChannel socket) {
            InetAddress address = addressOf(socket);
            if (address != null
                    && !ClientAddress.trusts(uncapped, address.getHostAddress())
                    && counting.count(address) >= limits.maxConnectionsPerAddress()) {
                if (refused.incrementAndGet() % 1000 == 1) {
                    log.warn(
                            "{} holds {} connections, the most one address may (provisioner.http"
                                    + ".max-connections-per-address): closing its new ones ({} so far)",
                            address.getHostAddress(),
                            limits.maxConnectionsPerAddress(),
                            refused.get());
                }
                // Tomcat's acceptor closes only connections it registered: close this one here
                destroySocket(socket);
                return false;
            }
            counting.expect(socket, address);
            return super.setSocketOptions(socket);
        }

        @Override
        public void startInternal() throws Exception {
            super.startInternal();
            watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "http-header-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            watchdog.scheduleWithFixedDelay(this::cutSlowHeaders, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public void stopInternal() {
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            super.stopInternal();
        }

        private void cutSlowHeaders() {
            long limit = limits.headerTimeout().toNanos();
            long now = System.nanoTime();
            for (SocketWrapperBase<NioChannel> wrapper : connections.values()) {
                if (wrapper.getCurrentProcessor() instanceof Processor processor
                        && readingHeaders(wrapper, processor)) {
                    long started = processor.getRequest().getStartTimeNanos();
                    if (started > 0 && now - started > limit) {
                        // as Tomcat's own read timeout does: an error event, processed under the
                        // socket's lock, closes it (closing from this thread could recycle a
                        // processor a worker still uses)
                        wrapper.setError(new java.net.SocketTimeoutException(
                                "request headers took longer than " + limits.headerTimeout()));
                        if (!processSocket(wrapper, org.apache.tomcat.util.net.SocketEvent.ERROR, true)) {
                            wrapper.close();
                        }
                    }
                }
            }
        }

        /**
         * A processor parked on a connection, neither async (a long poll) nor sending a file, and not
         * in the service stages, is waiting for the rest of a request line or headers (Tomcat parks
         * the processor of an incomplete request and marks its stage ended until more bytes come).
         */
        private static boolean readingHeaders(SocketWrapperBase<NioChannel> wrapper, Processor processor) {
            if (processor.isAsync()
                    || processor.isUpgrade()
                    || (wrapper instanceof NioSocketWrapper nio && nio.getSendfileData() != null)) {
                return false;
            }
            int stage = processor.getRequest().getRequestProcessor().getStage();
            return stage != org.apache.coyote.Constants.STAGE_SERVICE
                    && stage != org.apache.coyote.Constants.STAGE_ENDINPUT
                    && stage != org.apache.coyote.Constants.STAGE_ENDOUTPUT;
        }

        private static InetAddress addressOf(SocketChannel socket) {
            try {
                return socket.getRemoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
            } catch (IOException e) {
                return null;
            }
        }
    }

    /**
     * The endpoint's map of open connections, counting them per client address as Tomcat puts and
     * removes them (the address is remembered at accept: a closed channel no longer has one).
     */
    static final class CountingMap extends ConcurrentHashMap<SocketChannel, SocketWrapperBase<NioChannel>> {
        private final transient Map<SocketChannel, InetAddress> addresses = new ConcurrentHashMap<>();
        private final transient Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

        void expect(SocketChannel socket, InetAddress address) {
            if (address != null) {
                addresses.put(socket, address);
            }
        }

        int count(InetAddress address) {
            AtomicInteger count = perAddress.get(address);
            return count == null ? 0 : count.get();
        }

        @Override
        public SocketWrapperBase<NioChannel> put(SocketChannel socket, SocketWrapperBase<NioChannel> wrapper) {
            SocketWrapperBase<NioChannel> previous = super.put(socket, wrapper);
            InetAddress address = addresses.get(socket);
            if (previous == null && address != null) {
                perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            }
            return previous;
        }

        @Override
        public SocketWrapperBase<NioChannel> remove(Object socket) {
            SocketWrapperBase<NioChannel> removed = super.remove(socket);
            InetAddress address = addresses.remove(socket);
            if (removed != null && address != null) {
                perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
            }
            return removed;
        }
    }
}
