package io.clusterplatform.provisioner.server.timeline;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line of a host's boot timeline.
 *
 * @param at when it happened (the distributor's clock for its events, the server's for the rest)
 * @param kind what it is: {@code dhcp}, {@code tftp} (distributor), {@code fetch} (the server served
 *     the host something, or took its registration), {@code registered}, {@code reachable}, {@code
 *     unreachable} (node events), {@code note} (what the timeline itself concludes), or a kind of an
 *     extra {@link TimelineSource}
 * @param source who saw it
 * @param summary a sentence for people
 * @param detail the facts behind it, for tools
 */
public record TimelineEntry(Instant at, String kind, Source source, String summary, Map<String, Object> detail) {

    /** Who saw an entry: a distributor on the host's LAN, this server, or the node itself. */
    public enum Source {
        DISTRIBUTOR,
        SERVER,
        NODE;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TimelineEntry {
        detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    /** A detail map in the order given, nulls kept: {@code details("ip", ip, "mac", null)}. */
    public static Map<String, Object> details(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("details need pairs of key and value");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
