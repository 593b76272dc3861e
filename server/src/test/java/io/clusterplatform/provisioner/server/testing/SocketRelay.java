package io.clusterplatform.provisioner.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Forwards every connection made to a TCP port of this machine's loopback to a Unix socket. A Unix
 * socket is a file, so a process inside a network namespace (socat, started by {@link Lab}) can
 * listen on it, and through it the tests reach a server inside the namespace without any address or
 * route being added to this machine's own network. It runs in the test JVM's threads and so dies with
 * it; a connection made while nothing listens on the socket is closed at once.
 */
public final class SocketRelay implements AutoCloseable {
    private final ServerSocketChannel listener;

    private SocketRelay(ServerSocketChannel listener) {
        this.listener = listener;
    }

    /** Listens on a free port of 127.0.0.1 (see {@link #port()}) and forwards to {@code socket}. */
    public static SocketRelay toUnixSocket(Path socket) {
        try {
            ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketRelay relay = new SocketRelay(listener);
            Thread.ofVirtual().name("relay to " + socket.getFileName()).start(() -> relay.accept(socket));
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(Path socket) {
        while (listener.isOpen()) {
            try {
                SocketChannel inbound = listener.accept();
                SocketChannel outbound;
                try {
                    outbound = SocketChannel.open(StandardProtocolFamily.UNIX);
                    outbound.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException refused) {
                    inbound.close();
                    continue;
                }
                Thread.ofVirtual().start(() -> pump(inbound, outbound));
                Thread.ofVirtual().start(() -> pump(outbound, inbound));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pump(ByteChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (from) {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
