package io.clusterplatform.provisioner.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Spring Security's firewall and Tomcat refuse before any controller runs is a problem too: each
 * request is sent byte for byte on a socket, as a careless client or an attacker would.
 */
class ContainerRefusalsTest extends ServerIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The request target of {@code GET <target> HTTP/1.1}; {@code \\r\\n} and such are sent as is. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/%2e%2e/mainscripts",
                "/api/mainscripts;jsessionid=1",
                "//api/mainscripts",
                "/api/mainscripts%2F1",
                "/api/mainscripts%5C1",
                "/api/mainscripts\\1",
                "/api/mainscripts%00",
                "/api/mainscripts/%ff",
                "/api/mainscripts/1 2",
                "/api/main{scripts}",
                "/api/mainscripts?LONG",
            })
    void refusedPathsAreProblems(String target) throws IOException {
        String path = target.replace("LONG", "q=" + "a".repeat(20_000));
        assertProblem(send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LONG_HEADER", "Bad Header: yes", "X-Injected: a\rb", "GARBAGE"})
    void refusedRequestLinesAndHeadersAreProblems(String header) throws IOException {
        String request = header.equals("GARBAGE")
                ? "GARBAGE\r\n\r\n"
                : "GET /api/mainscripts HTTP/1.1\r\nHost: localhost\r\n"
                        + (header.equals("LONG_HEADER") ? "X-Long: " + "b".repeat(20_000) : header)
                        + "\r\nConnection: close\r\n\r\n";
        assertProblem(send(request));
    }

    private static void assertProblem(String response) throws IOException {
        int end = response.indexOf("\r\n\r\n");
        assertThat(end).as(response).isPositive();
        String head = response.substring(0, end).toLowerCase(Locale.ROOT);
        String status = head.substring(9, 12);
        assertThat(status).as(head).startsWith("4");
        assertThat(head).as(head).contains("content-type: application/problem+json");
        JsonNode problem = JSON.readTree(response.substring(end + 4));
        assertThat(problem.get("status").asInt()).isEqualTo(Integer.parseInt(status));
        assertThat(problem.get("detail").asText()).as(problem.toString()).isNotBlank();
    }

    private String send(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
