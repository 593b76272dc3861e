package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.StorableText;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the body of {@code POST /api/distributors/{id}/events}: {@code {"events": [{"seq": 1, "at":
 * "2026-11-22T01:02:03.123Z", "kind": "dhcp", "mac": "52:54:00:aa:bb:cc", "ip": "10.213.5.100",
 * "file": null, "message": "..."}]}}. Every refusal is a 400 that names the event by its index, e.g.
 * {@code 'events[3].mac' must be a MAC address like 52:54:00:12:34:56}. Fields it does not know are
 * ignored, so newer agents can send more.
 */
final class BootEventUpload {
    static final int MAX_EVENTS = 1000;
    static final int MAX_FILE = 1000;
    static final int MAX_MESSAGE = 2000;
    private static final String INSTANT_EXAMPLE = "an ISO-8601 instant like 2026-11-22T01:02:03.123Z";
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private BootEventUpload() {}

    /** The validated events, in the order sent; MAC addresses in lower case with ':'. */
    static List<BootEvent.New> parse(JsonNode body) {
        JsonNode events = body == null ? null : body.get("events");
        if (events == null || !events.isArray()) {
            throw ProblemException.invalid("'events' is required: a list of 1 to " + MAX_EVENTS + " events, each"
                    + " with seq, at, kind and message");
        }
        if (events.isEmpty() || events.size() > MAX_EVENTS) {
            throw ProblemException.invalid("'events' must hold 1 to " + MAX_EVENTS + " events, got " + events.size()
                    + (events.size() > MAX_EVENTS ? ": send them in several uploads" : ""));
        }
        List<BootEvent.New> parsed = new ArrayList<>(events.size());
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            BootEvent.New event = event("events[" + i + "]", events.get(i));
            Integer earlier = seen.putIfAbsent(event.seq(), i);
            if (earlier != null) {
                throw ProblemException.invalid("'events[" + i + "].seq' " + event.seq() + " is also the seq of events["
                        + earlier + "]: each event of an upload needs its own seq");
            }
            parsed.add(event);
        }
        return List.copyOf(parsed);
    }

    private static BootEvent.New event(String name, JsonNode event) {
        if (event == null || !event.isObject()) {
            throw ProblemException.invalid("'" + name + "' must be an object with seq, at, kind and message");
        }
        return new BootEvent.New(
                seq(name + ".seq", event.get("seq")),
                at(name + ".at", text(name + ".at", event.get("at"))),
                kind(name + ".kind", text(name + ".kind", event.get("kind"))),
                mac(name + ".mac", text(name + ".mac", event.get("mac"))),
                ip(name + ".ip", text(name + ".ip", event.get("ip"))),
                file(name + ".file", text(name + ".file", event.get("file"))),
                message(name + ".message", text(name + ".message", event.get("message"))));
    }

    private static long seq(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            throw ProblemException.invalid("'" + field + "' is required: a whole number, 0 or more");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw ProblemException.invalid(
                    "'" + field + "' must be a whole number, 0 or more, got " + printable(value.toString()));
        }
        return value.longValue();
    }

    /** The string value, null when absent or JSON null; a 400 for numbers, objects and the like. */
    private static String text(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.invalid("'" + field + "' must be a string, got " + printable(value.toString()));
        }
        return value.textValue();
    }

    /**
     * The instant at microsecond precision, as both databases store it. Any ISO-8601 offset is
     * accepted ({@code Z}, {@code +01:00}); years before 1970 or after 9999 are refused as clock errors.
     */
    static Instant at(String field, String value) {
        if (value == null) {
            throw ProblemException.invalid("'" + field + "' is required: " + INSTANT_EXAMPLE);
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(
                    "'" + field + "' must be " + INSTANT_EXAMPLE + ", got '" + printable(value) + "'");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ProblemException.invalid(
                    "'" + field + "' must lie between the years 1970 and 9999, got '" + printable(value) + "'");
        }
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    static BootEventKind kind(String field, String value) {
        if (value == null) {
            throw ProblemException.invalid("'" + field + "' is required: one of " + BootEventKind.knownNames());
        }
        return BootEventKind.parse(value)
                .orElseThrow(() -> ProblemException.invalid("'" + field + "' must be one of "
                        + BootEventKind.knownNames() + ", got '" + printable(value) + "'"));
    }

    /** The MAC address in lower case with ':' separators ({@code 52-54-00-...} is accepted too), or null. */
    static String mac(String field, String value) {
        if (value == null) {
            return null;
        }
        if (!NodeAddresses.isMac(value)) {
            throw ProblemException.invalid(
                    "'" + field + "' must be a MAC address like 52:54:00:12:34:56, got '" + printable(value) + "'");
        }
        return value.toLowerCase(Locale.ROOT).replace('-', ':');
    }

    private static String ip(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > 45 || !NodeAddresses.isIpLiteral(value)) {
            throw ProblemException.invalid("'" + field + "' must be an IPv4 or IPv6 address like 10.213.5.100 or"
                    + " fd00::1, got '" + printable(value) + "'");
        }
        return value;
    }

    private static String file(String field, String value) {
        if (value == null) {
            return null;
        }
        StorableText.require(field, value);
        if (value.length() > MAX_FILE) {
            throw ProblemException.invalid(
                    "'" + field + "' must be at most " + MAX_FILE + " characters, got " + value.length());
        }
        return value;
    }

    private static String message(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ProblemException.invalid("'" + field + "' is required: the log line as the distributor read it");
        }
        StorableText.require(field, value);
        if (value.length() > MAX_MESSAGE) {
            throw ProblemException.invalid("'" + field + "' must be at most " + MAX_MESSAGE + " characters, got "
                    + value.length() + ": cut the line");
        }
        return value;
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
