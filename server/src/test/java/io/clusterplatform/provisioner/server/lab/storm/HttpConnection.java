package io.clusterplatform.provisioner.server.lab.storm;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 client connection from a given source address, as iPXE, an installer or curl make
 * them: requests one after another on a kept-alive connection (reopened when the server closed it),
 * bodies by Content-Length or chunked. The JDK's HttpClient can bind a source address but keeps a
 * selector thread per client; a simulated host on a virtual thread with a blocking socket is cheaper
 * by far when a thousand of them run at once. Large bodies are counted and dropped, small ones kept.
 */
public final class HttpConnection implements AutoCloseable {
    /** An answer: status, the body when it was kept (else empty), and the body's length. */
    public record Response(int status, byte[] body, long length) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Bodies up to this size are kept; larger ones only counted. */
    private static final int KEEP = 256 * 1024;

    private final InetAddress local;
    private final String userAgent;
    private final byte[] buffer = new byte[64 * 1024];
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private String connectedTo;

    public HttpConnection(InetAddress local, String userAgent) {
        this.local = local;
        this.userAgent = userAgent;
    }

    public Response get(URI uri, long deadlineNanos) throws IOException {
        return send("GET", uri, deadlineNanos);
    }

    public Response post(URI uri, long deadlineNanos) throws IOException {
        return send("POST", uri, deadlineNanos);
    }

    private Response send(String method, URI uri, long deadlineNanos) throws IOException {
        if (!"http".equals(uri.getScheme())) {
            throw new IOException("only http:// here: " + uri);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String authority = uri.getHost() + ":" + port;
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String request = method + " " + target + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: " + userAgent
                + "\r\nAccept: */*\r\nConnection: keep-alive\r\n"
                + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n";
        boolean reused = socket != null && authority.equals(connectedTo);
        if (!reused) {
            connect(uri.getHost(), port, deadlineNanos);
            connectedTo = authority;
        }
        try {
            return exchange(request, deadlineNanos);
        } catch (IOException e) {
            if (!reused || e instanceof java.net.SocketTimeoutException) {
                close();
                throw e;
            }
            // The server closed an idle kept-alive connection under us: once more on a new one, as iPXE does.
            connect(uri.getHost(), port, deadlineNanos);
            return exchange(request, deadlineNanos);
        }
    }

    private void connect(String host, int port, long deadlineNanos) throws IOException {
        close();
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(local, 0));
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), remainingMillis(deadlineNanos));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    private Response exchange(String request, long deadlineNanos) throws IOException {
        socket.setSoTimeout(remainingMillis(deadlineNanos));
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("the server closed the connection without answering");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String header; (header = line()) != null && !header.isEmpty(); ) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long length;
        if (chunked) {
            length = 0;
            while (true) {
                String size = line();
                if (size == null) {
                    throw new IOException("chunked body cut short");
                }
                int semicolon = size.indexOf(';');
                long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                if (chunk == 0) {
                    while (true) { // trailers
                        String trailer = line();
                        if (trailer == null || trailer.isEmpty()) {
                            break;
                        }
                    }
                    break;
                }
                body(chunk, kept);
                length += chunk;
                line(); // CRLF after the chunk
            }
        } else if (contentLength >= 0) {
            body(contentLength, kept);
            length = contentLength;
        } else {
            length = 0; // no length: the body runs to the connection's end
            for (int n; (n = in.read(buffer)) >= 0; ) {
                keep(kept, n);
                length += n;
            }
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(status, kept.toByteArray(), length);
    }

    private void body(long n, ByteArrayOutputStream kept) throws IOException {
        long left = n;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("body cut short: " + (n - left) + " of " + n + " bytes");
            }
            keep(kept, read);
            left -= read;
        }
    }

    private void keep(ByteArrayOutputStream kept, int n) {
        if (kept.size() + n <= KEEP) {
            kept.write(buffer, 0, n);
        }
    }

    /** A header line without its CRLF, or null at the end of the stream. */
    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int end = s.length();
                if (end > 0 && s.charAt(end - 1) == '\r') {
                    s.setLength(end - 1);
                }
                return s.toString();
            }
            s.append((char) c);
            if (s.length() > 16 * 1024) {
                throw new IOException("header line too long");
            }
        }
        return s.isEmpty() ? null : s.toString();
    }

    private static int remainingMillis(long deadlineNanos) throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new IOException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
            connectedTo = null;
        }
    }
}
