package io.clusterplatform.provisioner.server.storage;

/**
 * A list request as the client sent it, each parameter {@code null} when absent: {@code search},
 * {@code searchFields}, {@code page} (from 1), {@code pageSize} and {@code sort}. Every list endpoint
 * binds it the same way (the http package's {@code ListRequestBinding}, with {@code @ParameterObject}
 * for the OpenAPI document); the store's {@link ListSpec} validates it against the entity's fields.
 */
public record ListRequest(String search, String searchFields, Integer page, Integer pageSize, String sort) {

    /** Nothing asked for: the first page of the default size in the store's default order. */
    public static final ListRequest DEFAULT = new ListRequest(null, null, null, null, null);

    /** The same request searching for {@code search} in the default search fields. */
    public ListRequest searching(String search) {
        return new ListRequest(search, searchFields, page, pageSize, sort);
    }

    public ListRequest onPage(Integer page, Integer pageSize) {
        return new ListRequest(search, searchFields, page, pageSize, sort);
    }

    /** The same request in the order {@code sort}, e.g. {@code "-createdAt,-id"}. */
    public ListRequest sortedBy(String sort) {
        return new ListRequest(search, searchFields, page, pageSize, sort);
    }
}
