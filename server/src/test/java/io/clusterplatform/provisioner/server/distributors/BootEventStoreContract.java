package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What {@link BootEventStore} promises, on every backend. */
abstract class BootEventStoreContract {
    private static final String SITE = "felicitas.pojtinger.swabia.sol";
    private static final String MAC = "52:54:00:aa:bb:cc";
    private static final String OTHER_MAC = "52:54:00:dd:ee:ff";
    private static final Instant T0 = Instant.parse("2026-11-22T01:02:03.123456Z");

    private BootEventStore events;
    private DistributorStore distributors;
    private JdbcClient jdbc;
    private long distributor;

    @BeforeEach
    void oneDistributorWithoutEvents(StandaloneServer server) {
        events = server.bean(BootEventStore.class);
        distributors = server.bean(DistributorStore.class);
        jdbc = server.bean(JdbcClient.class);
        jdbc.sql("DELETE FROM boot_events").update();
        jdbc.sql("DELETE FROM distributor_commands").update();
        jdbc.sql("DELETE FROM distributors").update();
        distributor = register("pxe-1");
    }

    private long register(String hostname) {
        return distributors.register(SITE, hostname, "0.1", 1).distributor().id();
    }

    private static BootEvent.New dhcp(long seq, Instant at, String mac) {
        return new BootEvent.New(
                seq,
                at,
                BootEventKind.DHCP,
                mac,
                "10.213.5.100",
                null,
                "dnsmasq-dhcp[1234]: " + seq + " PXE(eth0) " + mac + " proxy");
    }

    private static BootEvent.New tftp(long seq, Instant at, String mac) {
        return new BootEvent.New(
                seq,
                at,
                BootEventKind.TFTP,
                mac,
                "10.213.5.100",
                "/srv/tftp/ipxe.efi",
                "dnsmasq-tftp[1234]: sent /srv/tftp/ipxe.efi to 10.213.5.100");
    }

    private Page<BootEvent> all() {
        return events.list(distributor, BootEventStore.Filter.ALL, ListRequest.DEFAULT.onPage(null, 100));
    }

    @Test
    void storesEventsWithTheDistributorsArtifactIdAndReadsThemBackUnchanged() {
        BootEventStore.Stored stored =
                events.store(distributor, SITE, List.of(dhcp(0, T0, MAC), tftp(1, T0.plusSeconds(1), MAC)));

        assertThat(stored).isEqualTo(new BootEventStore.Stored(2, 0));
        Page<BootEvent> page = all();
        assertThat(page.total()).isEqualTo(2);
        BootEvent first = page.rows().getFirst();
        assertThat(first.distributorId()).isEqualTo(distributor);
        assertThat(first.artifactId()).isEqualTo(SITE);
        assertThat(first.seq()).isZero();
        assertThat(first.at()).as("microseconds kept").isEqualTo(T0);
        assertThat(first.kind()).isEqualTo(BootEventKind.DHCP);
        assertThat(first.mac()).isEqualTo(MAC);
        assertThat(first.ip()).isEqualTo("10.213.5.100");
        assertThat(first.file()).isNull();
        assertThat(first.message()).startsWith("dnsmasq-dhcp[1234]: 0 PXE");
        assertThat(first.receivedAt()).isNotNull();
        assertThat(page.rows().get(1).file()).isEqualTo("/srv/tftp/ipxe.efi");
    }

    @Test
    void anEventWhoseSeqIsStoredAlreadyIsIgnored() {
        events.store(distributor, SITE, List.of(dhcp(0, T0, MAC), dhcp(1, T0, MAC)));

        BootEvent.New resentWithOtherText =
                new BootEvent.New(1, T0.plusSeconds(60), BootEventKind.SERVICE, null, null, null, "changed on the way");
        BootEventStore.Stored again = events.store(distributor, SITE, List.of(resentWithOtherText, dhcp(2, T0, MAC)));

        assertThat(again).isEqualTo(new BootEventStore.Stored(1, 1));
        assertThat(all().rows())
                .extracting(BootEvent::seq, BootEvent::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, BootEventKind.DHCP),
                        org.assertj.core.groups.Tuple.tuple(1L, BootEventKind.DHCP),
                        org.assertj.core.groups.Tuple.tuple(2L, BootEventKind.DHCP));
    }

    @Test
    void theSameSeqOfAnotherDistributorIsAnotherEvent() {
        long other = register("pxe-2");
        events.store(distributor, SITE, List.of(dhcp(7, T0, MAC)));

        assertThat(events.store(other, SITE, List.of(dhcp(7, T0, MAC)))).isEqualTo(new BootEventStore.Stored(1, 0));
        assertThat(events.list(other, BootEventStore.Filter.ALL, ListRequest.DEFAULT.onPage(null, null))
                        .total())
                .isEqualTo(1);
        assertThat(all().total()).isEqualTo(1);
    }

    @Test
    void concurrentUploadsOfTheSameEventsStoreEachOnce() {
        List<BootEvent.New> batch = IntStream.range(0, 50)
                .mapToObj(seq -> dhcp(seq, T0.plusMillis(seq), MAC))
                .toList();

        List<CompletableFuture<BootEventStore.Stored>> uploads = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> events.store(distributor, SITE, batch)))
                .toList();

        int accepted = uploads.stream().mapToInt(u -> u.join().accepted()).sum();
        assertThat(accepted).isEqualTo(50);
        assertThat(all().total()).isEqualTo(50);
    }

    @Test
    void listsOldestFirstThenInTheOrderStored() {
        events.store(
                distributor,
                SITE,
                List.of(dhcp(5, T0.plusSeconds(10), MAC), dhcp(3, T0, MAC), tftp(4, T0, MAC), dhcp(1, T0, MAC)));

        assertThat(all().rows()).extracting(BootEvent::seq).containsExactly(3L, 4L, 1L, 5L);
    }

    @Test
    void filtersByMacKindAndSinceAndPages() {
        events.store(
                distributor,
                SITE,
                List.of(
                        dhcp(0, T0, MAC),
                        tftp(1, T0.plusSeconds(1), MAC),
                        dhcp(2, T0.plusSeconds(2), OTHER_MAC),
                        tftp(3, T0.plusSeconds(3), MAC),
                        new BootEvent.New(
                                4, T0.plusSeconds(4), BootEventKind.SERVICE, null, null, null, "dnsmasq started")));

        assertThat(events.list(
                                distributor,
                                new BootEventStore.Filter(MAC, null, null),
                                ListRequest.DEFAULT.onPage(null, null))
                        .rows())
                .extracting(BootEvent::seq)
                .containsExactly(0L, 1L, 3L);
        assertThat(events.list(
                                distributor,
                                new BootEventStore.Filter(MAC, BootEventKind.TFTP, null),
                                ListRequest.DEFAULT.onPage(null, null))
                        .rows())
                .extracting(BootEvent::seq)
                .containsExactly(1L, 3L);
        assertThat(events.list(
                                distributor,
                                new BootEventStore.Filter(null, null, T0.plusSeconds(2)),
                                ListRequest.DEFAULT.onPage(null, null))
                        .rows())
                .as("since is inclusive")
                .extracting(BootEvent::seq)
                .containsExactly(2L, 3L, 4L);

        Page<BootEvent> second = events.list(distributor, BootEventStore.Filter.ALL, ListRequest.DEFAULT.onPage(2, 2));
        assertThat(second.rows()).extracting(BootEvent::seq).containsExactly(2L, 3L);
        assertThat(second.total()).isEqualTo(5);
        assertThat(second.totalPages()).isEqualTo(3);
        assertThat(second.page()).isEqualTo(2);
        assertThat(second.pageSize()).isEqualTo(2);
    }

    @Test
    void eventsGoWithTheirDistributor() {
        long other = register("pxe-2");
        events.store(distributor, SITE, List.of(dhcp(0, T0, MAC)));
        events.store(other, SITE, List.of(dhcp(0, T0, MAC)));

        jdbc.sql("DELETE FROM distributors WHERE id = ?").param(distributor).update();

        assertThat(jdbc.sql("SELECT COUNT(*) FROM boot_events WHERE distributor_id = ?")
                        .param(distributor)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(events.list(other, BootEventStore.Filter.ALL, ListRequest.DEFAULT.onPage(null, null))
                        .total())
                .isEqualTo(1);
    }
}
