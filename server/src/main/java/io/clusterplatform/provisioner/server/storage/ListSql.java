package io.clusterplatform.provisioner.server.storage;

import io.clusterplatform.provisioner.core.paging.ListQuery;
import io.clusterplatform.provisioner.core.paging.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs a {@link ListRequest}, validated by the entity's {@link ListSpec} into a {@link ListQuery},
 * against one table: case-insensitive substring search over the chosen fields, ordering and paging.
 * Field names reach SQL only through the spec's {@code columns}, the entity's own map from API field
 * to column, so nothing from the request is pasted into SQL.
 *
 * @param table the table name (a constant of the calling store)
 * @param spec the fields that may be searched or sorted by, with their columns, and the defaults
 */
public record ListSql(String table, ListSpec spec) {

    public <T> Page<T> page(JdbcClient jdbc, ListRequest request, String extraCondition, RowMapper<T> mapper) {
        return page(jdbc, request, extraCondition, List.of(), mapper);
    }

    /**
     * Like {@link #page(JdbcClient, ListRequest, String, RowMapper)}, with {@code ?} parameters in the
     * extra condition (a constant of the calling store) bound to {@code extraParams}.
     */
    public <T> Page<T> page(
            JdbcClient jdbc, ListRequest request, String extraCondition, List<?> extraParams, RowMapper<T> mapper) {
        ListQuery query = spec.query(request);
        List<Object> params = new ArrayList<>(extraParams);
        List<String> conditions = new ArrayList<>();
        if (extraCondition != null) {
            conditions.add(extraCondition);
        }
        if (query.hasSearch()) {
            StorableText.require("search", query.search());
            String pattern = "%" + escapeLike(query.search().toLowerCase(Locale.ROOT)) + "%";
            conditions.add(query.searchFields().stream()
                    .map(field -> "LOWER(CAST(" + column(field) + " AS VARCHAR)) LIKE ? ESCAPE '\\'")
                    .collect(Collectors.joining(" OR ", "(", ")")));
            query.searchFields().forEach(f -> params.add(pattern));
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        long total = jdbc.sql("SELECT COUNT(*) FROM " + table + where)
                .params(params)
                .query(Long.class)
                .single();
        String order = query.sort().stream()
                .map(o -> column(o.field()) + (o.descending() ? " DESC" : " ASC"))
                .collect(Collectors.joining(", "));
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(query.pageSize());
        pageParams.add(query.offset());
        List<T> rows = jdbc.sql("SELECT * FROM " + table + where + " ORDER BY " + order + ", id ASC LIMIT ? OFFSET ?")
                .params(pageParams)
                .query(mapper)
                .list();
        return Page.of(rows, total, query);
    }

    private String column(String field) {
        String column = spec.columns().get(field);
        if (column == null) {
            throw new IllegalArgumentException("no column for field " + field);
        }
        return column;
    }

    static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
