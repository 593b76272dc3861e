package io.clusterplatform.provisioner.core.paging;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A validated list request in the original API's shape: {@code search}, {@code searchFields}, {@code page}
 * (from 1), {@code pageSize} and {@code sort} ({@code field} ascending, {@code -field} descending,
 * several separated by commas or spaces). Field names are checked against what the entity allows,
 * so they can be used in SQL safely.
 */
public record ListQuery(String search, List<String> searchFields, int page, int pageSize, List<SortOrder> sort) {

    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MAX_PAGE_SIZE = 100;

    public record SortOrder(String field, boolean descending) {}

    public ListQuery {
        searchFields = List.copyOf(searchFields);
        sort = List.copyOf(sort);
    }

    public int offset() {
        return (page - 1) * pageSize;
    }

    public boolean hasSearch() {
        return search != null && !search.isEmpty();
    }

    /**
     * Parses and validates raw query parameters.
     *
     * @param allowedFields the fields that may be searched and sorted by (API names)
     * @param defaultSearchFields the fields searched when {@code searchFields} is absent
     * @param defaultSort the sort used when {@code sort} is absent, e.g. {@code "id"}
     */
    public static ListQuery parse(
            String search,
            String searchFields,
            Integer page,
            Integer pageSize,
            String sort,
            Set<String> allowedFields,
            List<String> defaultSearchFields,
            String defaultSort) {
        int p = page == null ? 1 : page;
        if (p < 1) {
            throw ProblemException.invalid("page must be 1 or more, got " + p);
        }
        int size = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ProblemException.invalid("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", got " + size);
        }
        List<String> fields = searchFields == null || searchFields.isBlank()
                ? defaultSearchFields
                : namedFields("searchFields", searchFields, allowedFields);
        for (String field : fields) {
            requireKnown("searchFields", field, allowedFields);
        }
        List<SortOrder> orders = new ArrayList<>();
        for (String token : namedFields("sort", sort == null || sort.isBlank() ? defaultSort : sort, allowedFields)) {
            boolean descending = token.startsWith("-");
            String field = descending || token.startsWith("+") ? token.substring(1) : token;
            requireKnown("sort", field, allowedFields);
            orders.add(new SortOrder(field, descending));
        }
        return new ListQuery(search, fields, p, size, orders);
    }

    /**
     * The names in a value that is not blank. One without any (only separators, such as {@code ,})
     * is refused: it would leave the search or the ordering empty, which is no SQL.
     */
    private static List<String> namedFields(String parameter, String value, Set<String> allowedFields) {
        List<String> names =
                Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw ProblemException.invalid(
                    parameter + " names no field (got '" + value + "'); known fields: " + known(allowedFields));
        }
        return names;
    }

    private static void requireKnown(String parameter, String field, Set<String> allowedFields) {
        if (!allowedFields.contains(field)) {
            throw ProblemException.invalid(
                    parameter + " names unknown field '" + field + "'; known fields: " + known(allowedFields));
        }
    }

    private static String known(Set<String> allowedFields) {
        return String.join(", ", allowedFields.stream().sorted().toList());
    }
}
