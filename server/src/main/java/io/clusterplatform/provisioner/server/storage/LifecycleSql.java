package io.clusterplatform.provisioner.server.storage;

import io.clusterplatform.provisioner.core.lifecycles.Lifecycle;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The guarded status change of a table whose rows follow a {@link Lifecycle}: {@code UPDATE <table>
 * SET status = ?, <at> = ? ... WHERE <row> AND status IN (...)}, where the statuses are those the
 * transition table lets move to the target, so concurrent changes cannot both win, and {@code <at>}
 * is the column that records when the row reached the target. Table and column names are constants
 * of the calling store; every value is a parameter.
 *
 * @param table the table
 * @param movingTo the statuses that may move to a target ({@code ScriptRunStatus::movingTo})
 * @param atColumns the timestamp column of each status a row may move to; a status left out is one a
 *     row only has when it is created
 * @param <S> the enum of the statuses
 */
public record LifecycleSql<S extends Enum<S>>(String table, Function<S, Set<S>> movingTo, Map<S, String> atColumns) {

    public LifecycleSql {
        atColumns = Map.copyOf(atColumns);
    }

    /**
     * Moves the row {@code row} (a condition with {@code ?} such as {@code "id = ?"}, bound to {@code
     * rowValues}) to {@code to} at {@code now}, setting the {@code moreColumns} given (", column = ?"
     * each, bound to {@code moreValues}) in the same statement.
     *
     * @return false when the row is in no status that may become {@code to} (or does not match)
     * @throws IllegalArgumentException when {@code to} is a status rows only have when created
     */
    public boolean transition(
            JdbcClient jdbc,
            S to,
            OffsetDateTime now,
            String moreColumns,
            List<?> moreValues,
            String row,
            Object... rowValues) {
        String at = atColumns.get(to);
        if (at == null) {
            throw new IllegalArgumentException(
                    "a row of " + table + " is " + Lifecycle.wireName(to) + " once, when it is created");
        }
        List<String> from = movingTo.apply(to).stream().map(Lifecycle::wireName).toList();
        List<Object> params = new ArrayList<>();
        params.add(Lifecycle.wireName(to));
        params.add(now);
        params.addAll(moreValues);
        Collections.addAll(params, rowValues);
        params.addAll(from);
        return jdbc.sql("UPDATE " + table + " SET status = ?, " + at + " = ?" + moreColumns + " WHERE " + row
                                + " AND status IN (" + String.join(", ", Collections.nCopies(from.size(), "?")) + ")")
                        .params(params)
                        .update()
                > 0;
    }
}
