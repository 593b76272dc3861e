package io.clusterplatform.provisioner.server.storage;

import io.clusterplatform.provisioner.core.problems.ProblemException;

/**
 * PostgreSQL cannot hold U+0000 in a text value (H2 can), not even as a query parameter: such values
 * are refused with the same 400 on both backends, before they reach the database.
 */
public final class StorableText {
    private StorableText() {}

    /** Returns {@code value} (may be null) if the database can hold it; otherwise a 400 naming {@code field}. */
    public static String require(String field, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw ProblemException.invalid("'" + field + "' contains a NUL character (U+0000), which cannot be"
                    + " stored or searched for: remove it");
        }
        return value;
    }
}
