package io.clusterplatform.provisioner.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cannot hold the server: a request whose headers trickle in is cut off after the
 * header timeout, however often a byte arrives, while a long poll waits for its answer; one address
 * holds at most its share of connections. A server of its own, with a 2 s header timeout and 5
 * connections per address.
 */
class ConnectionLimitsTest {
    private static ThrowawayDirectory data;
    private static ServerProcess server;

    @BeforeAll
    static void start() {
        data = ThrowawayDirectory.create("provisioner-limits-");
        server = ServerProcess.start(
                data.path(),
                "--provisioner.http.header-timeout=2s",
                "--provisioner.http.max-connections-per-address=5");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (data != null) {
            data.close();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout((int) Timeouts.scaled(Duration.ofSeconds(20)).toMillis());
        return socket;
    }

    /** True once the server closed the connection (end of stream or reset) while we kept sending. */
    private static boolean closedByServer(Socket socket, OutputStream out) {
        try {
            out.write('X');
            out.flush();
            socket.setSoTimeout(200);
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void headersTricklingInAreCutOffAfterTheHeaderTimeout() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            // a byte every 200 ms: each read is far inside Tomcat's own timeout
            Awaitility.await("the server to cut off the trickling request")
                    .atMost(Timeouts.scaled(Duration.ofSeconds(15)))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> closedByServer(socket, out));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void aLongPollWaitsForItsAnswerPastTheHeaderTimeout() throws Exception {
        Agents.Agent agent = Agents.enrol(server.api());
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/distributors/" + agent.distributorId() + "/commands?wait=4s HTTP/1.1\r\n"
                            + "Host: localhost\r\nAuthorization: Bearer "
                            + agent.token().secret() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            byte[] first = new byte[12];
            int read = socket.getInputStream().readNBytes(first, 0, first.length);
            assertThat(new String(first, 0, read, StandardCharsets.US_ASCII))
                    .as("the long poll's answer")
                    .startsWith("HTTP/1.1 2");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("it waited its 4 s, twice the header timeout")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(3500));
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket socket = connect();
                socket.getOutputStream().write("GET /actuator/health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                held.add(socket);
            }
            try (Socket sixth = connect()) {
                sixth.getOutputStream()
                        .write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                int read;
                try {
                    read = sixth.getInputStream().read();
                } catch (SocketException reset) {
                    read = -1;
                }
                assertThat(read).as("the sixth connection is closed unanswered").isEqualTo(-1);
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        Awaitility.await("connections to be counted free again")
                .atMost(Timeouts.scaled(Duration.ofSeconds(10)))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> server.api().get("/actuator/health").status() == 200);
    }
}
