package io.clusterplatform.provisioner.distributor.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clusterplatform.provisioner.core.distributors.protocol.AgentCommand;
import io.clusterplatform.provisioner.core.distributors.protocol.CommandResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's side of the link to the server: every call is a request the agent makes (so it works from
 * behind NAT), authenticated with the distributor's enrollment token.
 */
public final class ServerLink {
    /** The server could not be reached or answered with a server error: try again later. */
    public static final class Unavailable extends IOException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server refused the request (bad token, unknown distributor, invalid body): retrying won't help. */
    public static final class Refused extends IOException {
        private final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * A command from the server as it came: its kind's wire name (perhaps one this agent does not know)
     * and its payload.
     */
    public record Command(long id, String kind, JsonNode payload) {
        /** The payload's fields for {@link AgentCommand#fromFields}: texts, booleans and numbers. */
        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            payload.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isBoolean()) {
                    fields.put(field.getKey(), value.booleanValue());
                } else if (value.isNumber()) {
                    fields.put(field.getKey(), value.numberValue());
                } else if (!value.isNull()) {
                    fields.put(field.getKey(), value.asText());
                }
            });
            return fields;
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final String token;
    private final ObjectMapper json;
    private final HttpClient http;

    public ServerLink(URI server, String token, ObjectMapper json) {
        String base = server.toString().replaceAll("/+$", "");
        this.server = URI.create(base);
        this.token = token;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI server() {
        return server;
    }

    /** The distributor the server knows this agent as. */
    public record Registration(long id, String artifactId) {}

    /** Registers (or re-registers) this distributor. */
    public Registration register(String hostname, String version) throws IOException {
        return register(hostname, version, List.of());
    }

    /**
     * Registers (or re-registers) this distributor with the networks of its interfaces, which the
     * server checks its nodes' registrations against. A server of the previous release refuses the
     * field it does not know: then the registration is sent again without it.
     */
    public Registration register(String hostname, String version, List<String> lanPrefixes) throws IOException {
        ObjectNode body = json.createObjectNode().put("hostname", hostname).put("version", version);
        if (!lanPrefixes.isEmpty()) {
            lanPrefixes.forEach(body.putArray("lanPrefixes")::add);
        }
        JsonNode answer;
        try {
            answer = send(post("/api/distributors/register", body, REQUEST_TIMEOUT));
        } catch (Refused refused) {
            if (refused.status() != 400 || !refused.getMessage().contains("lanPrefixes")) {
                throw refused;
            }
            body.remove("lanPrefixes");
            answer = send(post("/api/distributors/register", body, REQUEST_TIMEOUT));
        }
        return new Registration(
                answer.path("id").asLong(), answer.path("artifactId").asText());
    }

    /** Waits up to {@code wait} for the next command. */
    public Optional<Command> nextCommand(long distributorId, Duration wait) throws IOException {
        HttpRequest request = request(
                        "/api/distributors/" + distributorId + "/commands?wait=" + wait.toMillis() + "ms",
                        wait.plus(REQUEST_TIMEOUT))
                .GET()
                .build();
        HttpResponse<String> response = exchange(request);
        if (response.statusCode() == 204) {
            return Optional.empty();
        }
        JsonNode command = check(request, response);
        return Optional.of(
                new Command(command.path("id").asLong(), command.path("kind").asText(), command.path("payload")));
    }

    /**
     * Acknowledges a command once; a command acknowledged before (409) counts as acknowledged. Only
     * {@code ok}, {@code output} and {@code error} are sent: servers refuse fields they do not know, and
     * the dnsmasq configuration travels in the output ({@code DnsmasqConfigReport}).
     */
    public void acknowledge(long distributorId, long commandId, CommandResult result) throws IOException {
        ObjectNode body = json.createObjectNode()
                .put("ok", result.ok())
                .put("output", result.output())
                .put("error", result.error());
        HttpRequest request = post(
                "/api/distributors/" + distributorId + "/commands/" + commandId + "/result", body, REQUEST_TIMEOUT);
        HttpResponse<String> response = exchange(request);
        if (response.statusCode() != 409) {
            check(request, response);
        }
    }

    /** Uploads boot events; the server ignores those it already has (same seq). */
    public void sendEvents(long distributorId, List<BootEvent> events) throws IOException {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("events");
        events.forEach(e -> list.add(json.valueToTree(e)));
        send(post("/api/distributors/" + distributorId + "/events", body, REQUEST_TIMEOUT));
    }

    /** A script run as the server hands it to this agent, once; the only message with a private key. */
    public record RunTicket(
            long runId,
            String ip,
            int port,
            String user,
            String script,
            String privateKey,
            String pinnedHostKey,
            int timeoutSeconds) {
        @Override
        public String toString() {
            return "RunTicket[run " + runId + ", " + user + "@" + ip + ":" + port + "]";
        }
    }

    /** Takes a queued script run (409 when it was taken before: a run starts once). */
    public RunTicket startRun(long distributorId, long runId) throws IOException {
        HttpRequest request = request("/api/distributors/" + distributorId + "/scriptruns/" + runId, REQUEST_TIMEOUT)
                .GET()
                .build();
        JsonNode run = send(request);
        return new RunTicket(
                run.path("runId").asLong(),
                run.path("ip").asText(),
                run.path("port").asInt(22),
                run.path("user").asText("root"),
                run.path("script").asText(),
                run.path("privateKey").asText(),
                run.hasNonNull("pinnedHostKey") ? run.get("pinnedHostKey").asText() : null,
                run.path("timeoutSeconds").asInt(300));
    }

    /** Sends output of a run starting at {@code offset} of its stream; returns how much the server has. */
    public int sendOutput(long distributorId, long runId, String stream, int offset, String text) throws IOException {
        ObjectNode body = json.createObjectNode()
                .put("stream", stream)
                .put("offset", offset)
                .put("text", text);
        return send(post(
                        "/api/distributors/" + distributorId + "/scriptruns/" + runId + "/output",
                        body,
                        REQUEST_TIMEOUT))
                .path("size")
                .asInt();
    }

    /** Reports how a run ended; reporting it twice changes nothing. */
    public void finishRun(long distributorId, long runId, Integer exitCode, String error, String hostKey)
            throws IOException {
        ObjectNode body = json.createObjectNode().put("error", error).put("hostKey", hostKey);
        if (exitCode != null) {
            body.put("exitCode", exitCode);
        }
        send(post("/api/distributors/" + distributorId + "/scriptruns/" + runId + "/result", body, REQUEST_TIMEOUT));
    }

    /** {@code GET path} on the server: its JSON answer. */
    public JsonNode get(String path) throws IOException {
        return send(request(path, REQUEST_TIMEOUT).GET().build());
    }

    /** {@code POST path} with a JSON body on the server: its JSON answer. */
    public JsonNode post(String path, JsonNode body) throws IOException {
        return send(post(path, body, REQUEST_TIMEOUT));
    }

    /** A new JSON object for a request body. */
    public ObjectNode object() {
        return json.createObjectNode();
    }

    /** Downloads {@code url} (not necessarily on the server) as a stream. */
    public HttpResponse<java.io.InputStream> download(URI url) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + url, e);
        }
    }

    private HttpRequest post(String path, JsonNode body, Duration timeout) throws IOException {
        return request(path, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(server + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) throws IOException {
        return check(request, exchange(request));
    }

    private HttpResponse<String> exchange(HttpRequest request) throws Unavailable {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable(
                    "cannot reach " + server + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
    }

    private JsonNode check(HttpRequest request, HttpResponse<String> response) throws IOException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
        }
        String detail = detail(response.body());
        String what = request.method() + " " + request.uri().getPath() + " answered " + status + detail;
        if (status >= 500 || status == 429) {
            throw new Unavailable(what, null);
        }
        throw new Refused(status, what);
    }

    private String detail(String body) {
        try {
            JsonNode problem = json.readTree(body);
            return problem.hasNonNull("detail") ? ": " + problem.get("detail").asText() : "";
        } catch (IOException notJson) {
            return "";
        }
    }
}
