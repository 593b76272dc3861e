package io.clusterplatform.provisioner.server.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostFetchWriterTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static HostFetchStore.Fetch fetch(int millis, String ip, String path, int status, Long bytes) {
        return new HostFetchStore.Fetch(T0.plusMillis(millis), ip, "GET", path, status, bytes);
    }

    @Test
    void aHostsRepeatedFetchesInOneBatchBecomeOneRowThatCountsThem() {
        List<HostFetchStore.Fetch> rows = HostFetchWriter.coalesced(List.of(
                fetch(0, "10.0.0.5", "/api/mainscripts/1", 200, 900L),
                fetch(1, "10.0.0.5", "/assets/vmlinuz", 200, 20L),
                fetch(2, "10.0.0.5", "/api/mainscripts/1", 200, 900L),
                fetch(3, "10.0.0.6", "/api/mainscripts/1", 200, 900L),
                fetch(4, "10.0.0.5", "/api/mainscripts/1", 404, 80L),
                fetch(5, "10.0.0.5", "/api/mainscripts/1", 200, 900L)));

        assertThat(rows)
                .extracting(
                        HostFetchStore.Fetch::clientIp,
                        HostFetchStore.Fetch::path,
                        HostFetchStore.Fetch::status,
                        HostFetchStore.Fetch::times,
                        HostFetchStore.Fetch::at,
                        HostFetchStore.Fetch::lastAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "10.0.0.5", "/api/mainscripts/1", 200, 3, T0, T0.plusMillis(5)),
                        org.assertj.core.groups.Tuple.tuple(
                                "10.0.0.5", "/assets/vmlinuz", 200, 1, T0.plusMillis(1), T0.plusMillis(1)),
                        org.assertj.core.groups.Tuple.tuple(
                                "10.0.0.6", "/api/mainscripts/1", 200, 1, T0.plusMillis(3), T0.plusMillis(3)),
                        org.assertj.core.groups.Tuple.tuple(
                                "10.0.0.5", "/api/mainscripts/1", 404, 1, T0.plusMillis(4), T0.plusMillis(4)));
    }

    @Test
    void fetchesWithoutALengthOrMethodAreComparedSafely() {
        HostFetchStore.Fetch head = new HostFetchStore.Fetch(T0, "10.0.0.5", "HEAD", "/assets/a", 200, null);
        HostFetchStore.Fetch noMethod = new HostFetchStore.Fetch(T0, "10.0.0.5", null, "/assets/a", 200, null);

        assertThat(HostFetchWriter.coalesced(List.of(head, noMethod, head)))
                .extracting(HostFetchStore.Fetch::method, HostFetchStore.Fetch::times)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("HEAD", 2), org.assertj.core.groups.Tuple.tuple(null, 1));
    }
}
