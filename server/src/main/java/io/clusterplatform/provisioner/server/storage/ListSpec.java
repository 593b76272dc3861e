package io.clusterplatform.provisioner.server.storage;

import io.clusterplatform.provisioner.core.paging.ListQuery;
import java.util.List;
import java.util.Map;

/**
 * What one entity's lists allow: the fields that may be searched and sorted by, with the column each
 * reads, and what a request that names none gets.
 *
 * @param columns API field name to column name (a constant of the store), for every field that may
 *     be searched or sorted
 * @param defaultSearchFields the fields searched when {@code searchFields} is absent
 * @param defaultSort the order when {@code sort} is absent, e.g. {@code "id"}
 */
public record ListSpec(Map<String, String> columns, List<String> defaultSearchFields, String defaultSort) {

    public ListSpec {
        columns = Map.copyOf(columns);
        defaultSearchFields = List.copyOf(defaultSearchFields);
    }

    /** The request validated against these fields; a bad value is a 400 that names it. */
    public ListQuery query(ListRequest request) {
        return ListQuery.parse(
                request.search(),
                request.searchFields(),
                request.page(),
                request.pageSize(),
                request.sort(),
                columns.keySet(),
                defaultSearchFields,
                defaultSort);
    }
}
