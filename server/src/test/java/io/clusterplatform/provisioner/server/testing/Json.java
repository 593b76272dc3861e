package io.clusterplatform.provisioner.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request bodies for tests, written by Jackson instead of by hand: {@code Json.body(Map.of("name", "ci"))}
 * or a record (its components in declaration order, {@code null} as JSON null). Requests whose point is
 * the raw text keep their strings: malformed JSON, a trailing comma, a field the API does not take, the
 * original tutorial's requests word for word.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** {@code value} (a map, list, record, string, number, ...) as JSON text. */
    public static String body(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + value, e);
        }
    }

    /**
     * A JSON object of {@code key, value, key, value, ...} in that order; unlike {@link Map#of} it keeps
     * the order and takes null values (JSON null). Unmodifiable: change copies with {@link #with}.
     */
    public static Map<String, Object> object(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(object);
    }

    /** A copy of {@code object} with {@code key} set to {@code value} (which may be null), in the same order. */
    public static Map<String, Object> with(Map<String, ?> object, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(object);
        copy.put(key, value);
        return copy;
    }

    /** A copy of {@code object} without {@code key}. */
    public static Map<String, Object> without(Map<String, ?> object, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(object);
        copy.remove(key);
        return copy;
    }
}
