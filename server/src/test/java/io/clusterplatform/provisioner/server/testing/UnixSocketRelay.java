package io.clusterplatform.provisioner.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Forwards every connection made to a Unix socket to a TCP port of this machine's loopback. A Unix
 * socket is a file, so a process inside a network namespace (socat, started by {@link Lab}) can reach
 * it, and through it a server the tests run on loopback, without any address or route being added to
 * this machine's own network. It runs in the test JVM's threads and so dies with it.
 */
public final class UnixSocketRelay implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final Path socket;

    private UnixSocketRelay(ServerSocketChannel listener, Path socket) {
        this.listener = listener;
        this.socket = socket;
    }

    public static UnixSocketRelay start(Path socket, int port) {
        try {
            Files.deleteIfExists(socket);
            ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listener.bind(UnixDomainSocketAddress.of(socket));
            UnixSocketRelay relay = new UnixSocketRelay(listener, socket);
            Thread.ofVirtual().name("relay " + socket.getFileName()).start(() -> relay.accept(port));
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path socket() {
        return socket;
    }

    private void accept(int port) {
        while (listener.isOpen()) {
            try {
                SocketChannel inbound = listener.accept();
                SocketChannel outbound;
                try {
                    outbound = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                } catch (IOException refused) {
                    inbound.close(); // the server is down: the client sees the connection close
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
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
