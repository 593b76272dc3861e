package io.clusterplatform.provisioner.server.storage;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Set;

/**
 * The one text rule of the API. Every string of every JSON body goes through it as it is read
 * ({@code config/CommonBeans}), and code that takes text from elsewhere calls it:
 *
 * <ul>
 *   <li>no NUL (U+0000): PostgreSQL cannot hold it in a text value (H2 can), not even as a query
 *       parameter, so it is refused with the same 400 on both backends;
 *   <li>a one-line value (a name, a version, a URL, an address: every field not in {@link
 *       #MULTI_LINE_FIELDS}) holds no control character but tab: a {@code \r\n} in a version must
 *       not become a second line of a log, a header or a configuration file.
 * </ul>
 */
public final class StorableText {
    /** The JSON fields whose value is text of many lines: scripts, keys, agent output. */
    public static final Set<String> MULTI_LINE_FIELDS =
            Set.of("text", "script", "privateKey", "output", "error", "stdout", "stderr");

    private StorableText() {}

    /** Applies the rule for the JSON field {@code field}: one line unless it is a multi-line field. */
    public static String requireField(String field, String value) {
        return field != null && MULTI_LINE_FIELDS.contains(field) ? require(field, value) : requireLine(field, value);
    }

    /** Returns {@code value} (may be null) if it is one line without control characters but tab; else a 400. */
    public static String requireLine(String field, String value) {
        require(field, value);
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw ProblemException.invalid("'" + field + "' must be one line without control characters, got"
                            + " U+" + String.format("%04X", (int) c) + " at position " + i);
                }
            }
        }
        return value;
    }

    /** Returns {@code value} (may be null) if the database can hold it; otherwise a 400 naming {@code field}. */
    public static String require(String field, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw ProblemException.invalid("'" + field + "' contains a NUL character (U+0000), which cannot be"
                    + " stored or searched for: remove it");
        }
        return value;
    }
}
