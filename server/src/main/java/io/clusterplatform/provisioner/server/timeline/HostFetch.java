package io.clusterplatform.provisioner.server.timeline;

import java.time.Instant;

/**
 * A request of a booting host that the server answered: a script, key, asset or built file it
 * fetched, or its registration.
 *
 * @param path the path, with no query string but {@code artifactId}
 * @param bytes the length of the body sent when the response said it (Content-Length), else null
 * @param at when the (first) fetch started
 * @param times how many identical fetches this is (same address, method, path, status and length,
 *     stored in one batch by {@link HostFetchWriter}); 1 for most
 * @param lastAt when the last of them started; null when {@code times} is 1
 */
public record HostFetch(
        long id,
        Instant at,
        String clientIp,
        String method,
        String path,
        int status,
        Long bytes,
        int times,
        Instant lastAt) {}
