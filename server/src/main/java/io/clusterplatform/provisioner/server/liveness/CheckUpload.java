package io.clusterplatform.provisioner.server.liveness;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of {@code POST /api/distributors/{id}/checks}: {@code {"results": [{"nodeId": 1,
 * "ip": "10.213.5.100", "reachable": true, "sshOpen": true, "checkedAt": "2026-11-22T01:02:03Z"}]}}.
 * Every refusal is a 400 naming the result by its index ({@code 'results[2].reachable' is required:
 * true or false}). Unknown fields are ignored, so newer agents can send more.
 */
final class CheckUpload {
    static final int MAX_RESULTS = 1000;
    private static final String INSTANT_EXAMPLE = "an ISO-8601 instant like 2026-11-22T01:02:03Z";
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private CheckUpload() {}

    /** The validated results, in the order sent. */
    static List<CheckResult> parse(JsonNode body) {
        JsonNode results = body == null ? null : body.get("results");
        if (results == null || !results.isArray()) {
            throw ProblemException.invalid("'results' is required: a list of 1 to " + MAX_RESULTS
                    + " results, each with nodeId, ip, reachable, sshOpen and checkedAt");
        }
        if (results.isEmpty() || results.size() > MAX_RESULTS) {
            throw ProblemException.invalid("'results' must hold 1 to " + MAX_RESULTS + " results, got " + results.size()
                    + (results.size() > MAX_RESULTS ? ": send them in several requests" : ""));
        }
        List<CheckResult> parsed = new ArrayList<>(results.size());
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            CheckResult result = result("results[" + i + "]", results.get(i));
            Integer earlier = seen.putIfAbsent(result.nodeId(), i);
            if (earlier != null) {
                throw ProblemException.invalid("'results[" + i + "].nodeId' " + result.nodeId()
                        + " is also the nodeId of results[" + earlier + "]: report each node once");
            }
            parsed.add(result);
        }
        return List.copyOf(parsed);
    }

    private static CheckResult result(String name, JsonNode result) {
        if (result == null || !result.isObject()) {
            throw ProblemException.invalid(
                    "'" + name + "' must be an object with nodeId, ip, reachable, sshOpen and checkedAt");
        }
        return new CheckResult(
                nodeId(name + ".nodeId", result.get("nodeId")),
                ip(name + ".ip", result.get("ip")),
                bool(name + ".reachable", result.get("reachable"), true),
                bool(name + ".sshOpen", result.get("sshOpen"), false),
                at(name + ".checkedAt", result.get("checkedAt")));
    }

    private static long nodeId(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            throw ProblemException.invalid("'" + field + "' is required: the id of a localnode");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
            throw ProblemException.invalid(
                    "'" + field + "' must be the id of a localnode (a whole number, 1 or more), got "
                            + printable(value.toString()));
        }
        return value.longValue();
    }

    private static String ip(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            throw ProblemException.invalid("'" + field + "' is required: the address checked");
        }
        if (!value.isTextual() || value.textValue().length() > 45 || !NodeAddresses.isIpLiteral(value.textValue())) {
            throw ProblemException.invalid("'" + field + "' must be an IPv4 or IPv6 address like 10.213.5.100,"
                    + " got " + printable(value.isTextual() ? "'" + value.textValue() + "'" : value.toString()));
        }
        return NodeAddresses.canonicalIp(value.textValue());
    }

    /** A JSON boolean; null when absent or null and not {@code required}. */
    private static Boolean bool(String field, JsonNode value, boolean required) {
        if (value == null || value.isNull()) {
            if (required) {
                throw ProblemException.invalid("'" + field + "' is required: true or false");
            }
            return null;
        }
        if (!value.isBoolean()) {
            throw ProblemException.invalid("'" + field + "' must be true or false"
                    + (required ? "" : " (or null: not checked)") + ", got " + printable(value.toString()));
        }
        return value.booleanValue();
    }

    private static Instant at(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            throw ProblemException.invalid("'" + field + "' is required: " + INSTANT_EXAMPLE);
        }
        if (!value.isTextual()) {
            throw ProblemException.invalid(
                    "'" + field + "' must be " + INSTANT_EXAMPLE + ", got " + printable(value.toString()));
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(
                    "'" + field + "' must be " + INSTANT_EXAMPLE + ", got '" + printable(value.textValue()) + "'");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ProblemException.invalid("'" + field + "' must lie between the years 1970 and 9999, got '"
                    + printable(value.textValue()) + "'");
        }
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** {@code text} safe to echo: control characters escaped, cut after 80 characters. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > 80 ? out + "..." : out.toString();
    }
}
