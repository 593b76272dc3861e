package io.clusterplatform.provisioner.core.paging;

import java.util.List;
import java.util.function.Function;

/** One page of a list, in the original API's shape {@code {rows, total, page, pageSize, totalPages}}. */
public record Page<T>(List<T> rows, long total, int page, int pageSize, long totalPages) {

    public Page {
        rows = List.copyOf(rows);
    }

    public static <T> Page<T> of(List<T> rows, long total, ListQuery query) {
        long pages = (total + query.pageSize() - 1) / query.pageSize();
        return new Page<>(rows, total, query.page(), query.pageSize(), pages);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(rows.stream().map(mapper).toList(), total, page, pageSize, totalPages);
    }
}
