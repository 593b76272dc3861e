package io.clusterplatform.provisioner.server.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.distributors.BootEvent;
import io.clusterplatform.provisioner.server.distributors.BootEventKind;
import io.clusterplatform.provisioner.server.distributors.BootEventStore;
import io.clusterplatform.provisioner.server.distributors.DistributorStore;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the stores behind boot timelines promise, on every backend: host fetches, boot events by host. */
abstract class TimelineStoresContract {
    private static final String SITE = "felicitas.pojtinger.swabia.sol";
    private static final String MAC = "52:54:00:aa:bb:cc";
    private static final String OTHER_MAC = "52:54:00:dd:ee:ff";
    private static final Instant T0 = Instant.parse("2026-11-22T01:02:03.123456Z");

    private HostFetchStore fetches;
    private BootEventStore events;
    private JdbcClient jdbc;
    private long distributor;
    private long otherSite;

    @BeforeEach
    void empty(StandaloneServer server) {
        fetches = server.bean(HostFetchStore.class);
        events = server.bean(BootEventStore.class);
        jdbc = server.bean(JdbcClient.class);
        jdbc.sql("DELETE FROM host_fetches").update();
        jdbc.sql("DELETE FROM distributors").update();
        DistributorStore distributors = server.bean(DistributorStore.class);
        distributor =
                distributors.register(SITE, "pxe-1", "0.1", 1).distributor().id();
        otherSite = distributors
                .register("other.example", "pxe-9", "0.1", 2)
                .distributor()
                .id();
    }

    private static BootEvent.New event(long seq, Instant at, BootEventKind kind, String mac, String ip) {
        return new BootEvent.New(seq, at, kind, mac, ip, null, "line " + seq);
    }

    @Test
    void keepsFetchesAndListsThemNewestFirstByAddress() {
        fetches.record(T0, "10.0.0.5", "GET", "/api/mainscripts/1?artifactId=" + SITE, 200, 120L);
        fetches.record(T0.plusSeconds(2), "10.0.0.5", "HEAD", "/assets/vmlinuz", 200, null);
        fetches.record(T0.plusSeconds(1), "10.0.0.6", "GET", "/api/subscripts/1", 404, 80L);

        List<HostFetch> newest = fetches.newest("10.0.0.5", 10);

        assertThat(newest)
                .extracting(HostFetch::path)
                .containsExactly("/assets/vmlinuz", "/api/mainscripts/1?artifactId=" + SITE);
        HostFetch first = newest.getLast();
        assertThat(first.at()).isEqualTo(T0);
        assertThat(first.clientIp()).isEqualTo("10.0.0.5");
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bytes()).isEqualTo(120L);
        assertThat(newest.getFirst().bytes()).isNull();
        assertThat(fetches.newest("10.0.0.5", 1)).hasSize(1);
    }

    @Test
    void storesABatchOfFetchesWholeOrNotAtAll() {
        List<HostFetchStore.Fetch> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            batch.add(new HostFetchStore.Fetch(T0.plusMillis(i), "10.0.0.7", "GET", "/assets/f" + i, 200, (long) i));
        }
        fetches.recordAll(batch);
        assertThat(fetches.newest("10.0.0.7", 3_000)).hasSize(2_500);
        assertThat(fetches.newest("10.0.0.7", 1).getFirst().path()).isEqualTo("/assets/f2499");

        List<HostFetchStore.Fetch> broken = List.of(
                new HostFetchStore.Fetch(T0, "10.0.0.8", "GET", "/assets/ok", 200, 1L),
                new HostFetchStore.Fetch(T0, "10.0.0.8", null, "/assets/no-method", 200, 1L));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fetches.recordAll(broken))
                .isInstanceOf(org.springframework.dao.DataAccessException.class);
        assertThat(fetches.newest("10.0.0.8", 10))
                .as("nothing of a failed batch")
                .isEmpty();
    }

    @Test
    void theWriterStoresWhatIsOfferedBehindTheCallerAndKeepsTheGoodRowsOfABadBatch(StandaloneServer server)
            throws InterruptedException {
        HostFetchWriter writer = server.bean(HostFetchWriter.class);
        for (int i = 0; i < 3_000; i++) {
            assertThat(writer.offer(
                            new HostFetchStore.Fetch(T0.plusMillis(i), "10.0.0.9", "GET", "/assets/w" + i, 200, 5L)))
                    .isTrue();
        }
        writer.offer(new HostFetchStore.Fetch(T0, "10.0.0.9", null, "/assets/bad", 200, 5L));
        writer.offer(new HostFetchStore.Fetch(T0.plusSeconds(9), "10.0.0.9", "HEAD", "/assets/after", 200, null));
        assertThat(writer.flush(java.time.Duration.ofSeconds(30))).isTrue();

        List<HostFetch> stored = fetches.newest("10.0.0.9", 5_000);
        assertThat(stored).hasSize(3_001);
        assertThat(stored.getFirst().path()).isEqualTo("/assets/after");
        assertThat(stored).extracting(HostFetch::path).doesNotContain("/assets/bad");
    }

    @Test
    void aHostsRepeatedFetchesAreStoredAsOneRowThatCountsThem(StandaloneServer server) throws InterruptedException {
        HostFetchWriter writer = server.bean(HostFetchWriter.class);
        for (int i = 0; i < 500; i++) {
            writer.offer(new HostFetchStore.Fetch(T0.plusMillis(i), "10.0.0.11", "GET", "/api/mainscripts/1", 200, 9L));
        }
        assertThat(writer.flush(java.time.Duration.ofSeconds(30))).isTrue();

        List<HostFetch> stored = fetches.newest("10.0.0.11", 1_000);
        assertThat(stored.stream().mapToInt(HostFetch::times).sum()).isEqualTo(500);
        assertThat(stored.size()).as("rows").isLessThan(500);
        HostFetch repeated =
                stored.stream().filter(f -> f.times() > 1).findFirst().orElseThrow();
        assertThat(repeated.lastAt()).isAfter(repeated.at());
        assertThat(fetches.anySince("10.0.0.11", T0.plusMillis(499)))
                .as("seen by its last fetch")
                .isTrue();
        assertThat(fetches.anySince("10.0.0.11", T0.plusMillis(500))).isFalse();
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() {
        HostFetchWriter notStarted = new HostFetchWriter(fetches);
        HostFetchStore.Fetch fetch = new HostFetchStore.Fetch(T0, "10.0.0.10", "GET", "/assets/x", 200, 1L);
        for (int i = 0; i < HostFetchWriter.CAPACITY; i++) {
            assertThat(notStarted.offer(fetch)).isTrue();
        }
        assertThat(notStarted.offer(fetch)).isFalse();
        assertThat(notStarted.offer(fetch)).isFalse();
        assertThat(notStarted.dropped()).isEqualTo(2);
    }

    @Test
    void tellsWhetherAnAddressFetchedAnythingSince() {
        fetches.record(T0, "10.0.0.5", "GET", "/api/mainscripts/1", 200, 1L);

        assertThat(fetches.anySince("10.0.0.5", T0)).as("inclusive").isTrue();
        assertThat(fetches.anySince("10.0.0.5", T0.plusNanos(1_000))).isFalse();
        assertThat(fetches.anySince("10.0.0.6", T0.minusSeconds(60))).isFalse();
    }

    @Test
    void cutsLongPathsAndDeletesOldFetches() {
        fetches.record(T0, "10.0.0.5", "GET", "/assets/" + "a".repeat(3000), 404, null);
        fetches.record(T0.plusSeconds(10), "10.0.0.5", "GET", "/assets/b", 200, 1L);

        assertThat(fetches.newest("10.0.0.5", 10).getLast().path()).hasSize(2000);
        assertThat(fetches.deleteBefore(T0.plusSeconds(10))).isEqualTo(1);
        assertThat(fetches.newest("10.0.0.5", 10)).extracting(HostFetch::path).containsExactly("/assets/b");
    }

    @Test
    void findsTheEventsOfAHostByMacAndByAnAddressNoOtherMacHad() {
        events.store(
                distributor,
                SITE,
                List.of(
                        event(1, T0, BootEventKind.DHCP, MAC, null),
                        event(2, T0.plusSeconds(1), BootEventKind.TFTP, null, "10.0.0.5"),
                        event(3, T0.plusSeconds(2), BootEventKind.DHCP, OTHER_MAC, "10.0.0.5"),
                        event(4, T0.plusSeconds(3), BootEventKind.DHCP, MAC, "10.0.0.5"),
                        event(5, T0.plusSeconds(4), BootEventKind.SERVICE, null, null),
                        event(6, T0.plusSeconds(5), BootEventKind.DHCP, OTHER_MAC, "10.0.0.7")));
        events.store(
                otherSite, "other.example", List.of(event(1, T0.plusSeconds(6), BootEventKind.DHCP, MAC, "10.0.0.5")));

        assertThat(events.newestForHost(MAC, "10.0.0.5", SITE, 10))
                .extracting(BootEvent::seq)
                .containsExactly(4L, 2L, 1L);
        assertThat(events.newestForHost(MAC, "10.0.0.5", null, 10))
                .extracting(BootEvent::distributorId, BootEvent::seq)
                .first()
                .isEqualTo(org.assertj.core.groups.Tuple.tuple(otherSite, 1L));
        assertThat(events.newestForHost(null, "10.0.0.5", SITE, 10))
                .extracting(BootEvent::seq)
                .containsExactly(4L, 3L, 2L);
        assertThat(events.newestForHost(MAC, null, SITE, 2))
                .extracting(BootEvent::seq)
                .containsExactly(4L, 1L);
        assertThat(events.newestForHost(null, null, null, 10)).isEmpty();
    }

    @Test
    void findsTheMacOfAnAddressAndTheAddressOfAMac() {
        events.store(
                distributor,
                SITE,
                List.of(
                        event(1, T0, BootEventKind.DHCP, OTHER_MAC, "10.0.0.5"),
                        event(2, T0.plusSeconds(1), BootEventKind.DHCP, MAC, "10.0.0.5"),
                        event(3, T0.plusSeconds(2), BootEventKind.TFTP, null, "10.0.0.5"),
                        event(4, T0.plusSeconds(3), BootEventKind.DHCP, MAC, null)));

        assertThat(events.lastMacOf("10.0.0.5", SITE)).contains(MAC);
        assertThat(events.lastMacOf("10.0.0.5", "other.example")).isEmpty();
        assertThat(events.lastMacOf("10.0.0.9", null)).isEmpty();
        assertThat(events.lastWithAddress(MAC))
                .get()
                .extracting(BootEvent::seq, BootEvent::ip)
                .containsExactly(2L, "10.0.0.5");
        assertThat(events.lastWithAddress("52:54:00:00:00:01")).isEmpty();
    }

    @Test
    void deletesBootEventsReceivedLongAgo() {
        events.store(distributor, SITE, List.of(event(1, T0, BootEventKind.DHCP, MAC, null)));
        events.store(distributor, SITE, List.of(event(2, T0, BootEventKind.DHCP, MAC, null)));
        jdbc.sql("UPDATE boot_events SET received_at = ? WHERE seq = 1")
                .param(OffsetDateTime.now(ZoneOffset.UTC).minusDays(40))
                .update();

        assertThat(events.deleteReceivedBefore(Instant.now().minusSeconds(30L * 24 * 3600)))
                .isEqualTo(1);
        assertThat(events.newestForHost(MAC, null, null, 10))
                .extracting(BootEvent::seq)
                .containsExactly(2L);
    }
}
