package io.clusterplatform.provisioner.server.localnodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.testing.Clocks;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What {@link LocalnodeStore} promises, on every backend: each subclass only names the backend.
 * Every test starts with no nodes.
 */
abstract class LocalnodeStoreContract {
    private static final String SITE = "felicitas.pojtinger.swabia.sol";

    private LocalnodeStore store;
    private JdbcClient jdbc;

    @BeforeEach
    void noNodes(StandaloneServer server) {
        store = server.bean(LocalnodeStore.class);
        jdbc = server.bean(JdbcClient.class);
        jdbc.sql("DELETE FROM localnodes").update();
    }

    @Test
    void registersANewNode() {
        LocalnodeStore.Registered registered =
                store.register(registration("10.0.0.5", SITE, true, "52:54:00:12:34:56", "node-1"));

        Localnode node = registered.node();
        assertThat(registered.created()).isTrue();
        assertThat(node.ip()).isEqualTo("10.0.0.5");
        assertThat(node.artifactId()).isEqualTo(SITE);
        assertThat(node.pingable()).isTrue();
        assertThat(node.mac()).isEqualTo("52:54:00:12:34:56");
        assertThat(node.hostname()).isEqualTo("node-1");
        assertThat(node.firstSeen()).isNotNull().isEqualTo(node.lastSeen());
        assertThat(store.get(node.id())).isEqualTo(node);
    }

    @Test
    void registeringTheSameNodeAgainUpdatesItsRow() {
        Localnode first = store.register(registration("10.0.0.5", SITE, true, "52:54:00:12:34:56", "node-1"))
                .node();
        Clocks.awaitPast(first.lastSeen());

        LocalnodeStore.Registered again = store.register(registration("10.0.0.5", SITE, false, null, null));

        assertThat(again.created()).isFalse();
        Localnode node = again.node();
        assertThat(node.id()).isEqualTo(first.id());
        assertThat(node.pingable()).isFalse();
        assertThat(node.mac()).as("kept when not sent again").isEqualTo("52:54:00:12:34:56");
        assertThat(node.hostname()).as("kept when not sent again").isEqualTo("node-1");
        assertThat(node.firstSeen()).isEqualTo(first.firstSeen());
        assertThat(node.lastSeen()).isAfter(first.lastSeen());
        assertThat(store.register(registration("10.0.0.5", SITE, true, null, "node-1b"))
                        .node()
                        .hostname())
                .isEqualTo("node-1b");
        assertThat(rowCount()).isEqualTo(1);
    }

    @Test
    void theSameIpUnderAnotherArtifactIdIsAnotherNode() {
        Localnode north = store.register(registration("10.0.0.5", "north.example", true, null, null))
                .node();
        LocalnodeStore.Registered south = store.register(registration("10.0.0.5", "south.example", true, null, null));

        assertThat(south.created()).isTrue();
        assertThat(south.node().id()).isNotEqualTo(north.id());
        assertThat(rowCount()).isEqualTo(2);
    }

    @Test
    void theSchemaRefusesASecondRowForTheSameIpAndArtifactId() {
        store.register(registration("10.0.0.5", SITE, true, null, null));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

        assertThatThrownBy(() -> jdbc.sql("INSERT INTO localnodes (ip, artifact_id, pingable, first_seen, last_seen)"
                                + " VALUES (?, ?, ?, ?, ?)")
                        .params("10.0.0.5", SITE, false, now, now)
                        .update())
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(rowCount()).isEqualTo(1);
    }

    @Test
    void registrationsSharingACommitEachGetTheirOwnAnswerAndABadOneFailsAlone(StandaloneServer server)
            throws Exception {
        LocalnodeRegistrar registrar = server.bean(LocalnodeRegistrar.class);
        int nodes = 150;
        List<Future<LocalnodeStore.Registered>> answers = new ArrayList<>();
        Future<LocalnodeStore.Registered> bad;
        try (ExecutorService hosts = Executors.newVirtualThreadPerTaskExecutor()) {
            CyclicBarrier together = new CyclicBarrier(2 * nodes + 1);
            for (int round = 0; round < 2; round++) {
                for (int n = 0; n < nodes; n++) {
                    LocalnodeRegistration registration =
                            registration("10.0.2." + n, SITE, round == 1, null, "node-" + n);
                    answers.add(hosts.submit(() -> {
                        together.await(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
                        return registrar.register(registration);
                    }));
                }
            }
            // No ip: the database refuses it (NOT NULL); it must not take the others with it.
            LocalnodeRegistration noIp = new LocalnodeRegistration(null, SITE, true, null, null);
            bad = hosts.submit(() -> {
                together.await(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
                return registrar.register(noIp);
            });
            List<LocalnodeStore.Registered> results = new ArrayList<>();
            for (Future<LocalnodeStore.Registered> answer : answers) {
                results.add(answer.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS));
            }
            assertThat(results).filteredOn(LocalnodeStore.Registered::created).hasSize(nodes);
            assertThat(results.stream().map(r -> r.node().ip()).distinct()).hasSize(nodes);
            for (LocalnodeStore.Registered result : results) {
                assertThat(result.node().hostname())
                        .isEqualTo("node-" + result.node().ip().substring(7));
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> bad.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
        assertThat(rowCount()).isEqualTo(nodes);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM node_events")
                        .query(Long.class)
                        .single())
                .as("one event per registration")
                .isEqualTo(2L * nodes);
    }

    /**
     * Batches share nodes (the same hosts registering again and
     * again while new ones race each other in): every registration is answered, none fails, and each
     * node has one row.
     */
    @Test
    void batchesThatShareNodesAnswerEveryRegistration(StandaloneServer server) throws Exception {
        LocalnodeRegistrar registrar = server.bean(LocalnodeRegistrar.class);
        int nodes = 20;
        int times = 30;
        List<Future<LocalnodeStore.Registered>> answers = new ArrayList<>();
        try (ExecutorService hosts = Executors.newVirtualThreadPerTaskExecutor()) {
            CyclicBarrier together = new CyclicBarrier(nodes * times);
            for (int t = 0; t < times; t++) {
                for (int n = nodes - 1; n >= 0; n--) {
                    // Half of the hosts count down, half up: batches hold them in different orders.
                    int node = t % 2 == 0 ? n : nodes - 1 - n;
                    LocalnodeRegistration registration = registration("10.0.3." + node, SITE, true, null, null);
                    answers.add(hosts.submit(() -> {
                        together.await(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
                        return registrar.register(registration);
                    }));
                }
            }
            List<LocalnodeStore.Registered> results = new ArrayList<>();
            for (Future<LocalnodeStore.Registered> answer : answers) {
                results.add(answer.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS));
            }
            assertThat(results).filteredOn(LocalnodeStore.Registered::created).hasSize(nodes);
            assertThat(results.stream().map(r -> r.node().id()).distinct()).hasSize(nodes);
        }
        assertThat(rowCount()).isEqualTo(nodes);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM node_events")
                        .query(Long.class)
                        .single())
                .as("one event per registration")
                .isEqualTo((long) nodes * times);
    }

    /**
     * One batch of new and known nodes (as the registrar hands over): each claim gets its own answer
     * in order, known nodes keep what the claim leaves out, and each gets its event; a batch with a
     * node twice or an unverified claim is written claim by claim with the same result.
     */
    @Test
    void aBatchOfNewAndKnownNodesAnswersEachInOrder() {
        store.register(registration("10.0.4.1", SITE, false, "52:54:00:00:04:01", "known-1"));
        store.register(registration("10.0.4.3", SITE, false, null, "known-3"));
        List<LocalnodeStore.Claim> claims = List.of(
                new LocalnodeStore.Claim(registration("10.0.4.1", SITE, true, null, null), true),
                new LocalnodeStore.Claim(registration("10.0.4.2", SITE, true, null, "new-2"), true),
                new LocalnodeStore.Claim(registration("10.0.4.3", SITE, true, "52:54:00:00:04:03", null), true),
                new LocalnodeStore.Claim(registration("10.0.4.4", "other.site", false, null, "new-4"), true));

        List<LocalnodeStore.Registered> answers = store.registerAll(claims);

        assertThat(answers)
                .extracting(r -> r.node().ip())
                .containsExactly("10.0.4.1", "10.0.4.2", "10.0.4.3", "10.0.4.4");
        assertThat(answers).extracting(LocalnodeStore.Registered::created).containsExactly(false, true, false, true);
        assertThat(answers)
                .extracting(r -> r.node().hostname())
                .containsExactly("known-1", "new-2", "known-3", "new-4");
        assertThat(answers)
                .extracting(r -> r.node().mac())
                .containsExactly("52:54:00:00:04:01", null, "52:54:00:00:04:03", null);
        assertThat(answers).extracting(r -> r.node().pingable()).containsExactly(true, true, true, false);
        assertThat(answers.get(3).node().artifactId()).isEqualTo("other.site");
        for (LocalnodeStore.Registered answer : answers) {
            assertThat(store.get(answer.node().id())).isEqualTo(answer.node());
        }
        assertThat(jdbc.sql("SELECT detail FROM node_events WHERE node_id = ? ORDER BY id")
                        .param(answers.get(0).node().id())
                        .query(String.class)
                        .list())
                .containsExactly(
                        "registered from 10.0.4.1 with artifactId " + SITE
                                + ", hostname known-1, mac 52:54:00:00:04:01," + " pingable=false",
                        "registered again from 10.0.4.1 with artifactId " + SITE + ", pingable=true");
        assertThat(rowCount()).isEqualTo(4);

        List<LocalnodeStore.Registered> twice = store.registerAll(List.of(
                new LocalnodeStore.Claim(registration("10.0.4.5", SITE, true, null, null), true),
                new LocalnodeStore.Claim(registration("10.0.4.5", SITE, true, null, "again"), true),
                new LocalnodeStore.Claim(registration("10.0.4.6", SITE, true, null, null), false)));
        assertThat(twice).extracting(LocalnodeStore.Registered::created).containsExactly(true, false, true);
        assertThat(twice.get(1).node().hostname()).isEqualTo("again");
        assertThat(twice.get(2).node().verified()).isFalse();
        assertThat(rowCount()).isEqualTo(6);
    }

    @Test
    void concurrentRegistrationsOfTheSameNewNodeGiveOneRowAndNoError() throws Exception {
        int threads = 8;
        int nodes = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int n = 1; n <= nodes; n++) {
                LocalnodeRegistration registration = registration("10.0.1." + n, SITE, true, null, null);
                CyclicBarrier together = new CyclicBarrier(threads);
                List<Future<LocalnodeStore.Registered>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        together.await(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
                        return store.register(registration);
                    }));
                }
                List<LocalnodeStore.Registered> results = new ArrayList<>();
                for (Future<LocalnodeStore.Registered> future : futures) {
                    results.add(future.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS));
                }

                assertThat(results)
                        .as("node %d", n)
                        .filteredOn(LocalnodeStore.Registered::created)
                        .hasSize(1);
                assertThat(results.stream().map(r -> r.node().id()).distinct())
                        .as("node %d", n)
                        .hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rowCount()).isEqualTo(nodes);
    }

    @Test
    void keepsTheLongestAddressesAndArtifactIds() {
        String longestIp = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
        String longestArtifactId = "a".repeat(253);
        String longestHostname = ("h".repeat(63) + ".").repeat(3) + "h".repeat(61);

        Localnode node = store.register(
                        registration(longestIp, longestArtifactId, true, "52:54:00:AB:CD:EF", longestHostname))
                .node();

        assertThat(store.get(node.id()))
                .extracting(Localnode::ip, Localnode::artifactId, Localnode::mac, Localnode::hostname)
                .containsExactly(longestIp, longestArtifactId, "52:54:00:ab:cd:ef", longestHostname);
    }

    @Test
    void searchIgnoresCaseOverIpArtifactIdHostnameAndMac() {
        store.register(registration("10.0.0.1", "North.Example", true, null, null));
        store.register(registration("10.0.0.2", "south.example", true, null, "NORTH-gate"));
        store.register(registration("10.0.0.3", "south.example", true, "52:54:00:00:00:0a", null));
        store.register(registration("10.0.0.4", "south.example", true, null, "west"));

        assertThat(ips(store.list(query("north", null, null, null, null)))).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(ips(store.list(query("00:0A", null, null, null, null)))).containsExactly("10.0.0.3");
        assertThat(ips(store.list(query("0.0.4", null, null, null, null)))).containsExactly("10.0.0.4");
    }

    @Test
    void searchLooksOnlyInTheChosenFields() {
        store.register(registration("10.0.0.1", "north.example", true, null, null));
        store.register(registration("10.0.0.2", "south.example", true, null, "north-gate"));

        assertThat(ips(store.list(query("north", "hostname", null, null, null))))
                .containsExactly("10.0.0.2");
        assertThat(ips(store.list(query("north", "artifactId", null, null, null))))
                .containsExactly("10.0.0.1");
    }

    @Test
    void searchesBooleanFieldsAsText() {
        store.register(registration("10.0.0.1", SITE, true, null, null));
        store.register(registration("10.0.0.2", SITE, false, null, null));

        assertThat(ips(store.list(query("TRUE", "pingable", null, null, null)))).containsExactly("10.0.0.1");
        assertThat(ips(store.list(query("false", "pingable", null, null, null))))
                .containsExactly("10.0.0.2");
    }

    @Test
    void searchTreatsPercentAndUnderscoreLiterally() {
        store.register(registration("10.0.0.1", "site_a", true, null, null));
        store.register(registration("10.0.0.2", "sitexa", true, null, null));

        assertThat(ips(store.list(query("e_a", "artifactId", null, null, null))))
                .containsExactly("10.0.0.1");
        assertThat(ips(store.list(query("%", "artifactId", null, null, null)))).isEmpty();
    }

    @Test
    void sortsBySeveralFieldsAndThenById() {
        store.register(registration("10.0.0.2", "b.example", true, null, null));
        store.register(registration("10.0.0.1", "b.example", true, null, null));
        store.register(registration("10.0.0.3", "a.example", true, null, null));
        store.register(registration("10.0.0.4", "a.example", true, null, null));

        assertThat(ips(store.list(query(null, null, null, null, "-artifactId,ip"))))
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
        assertThat(ips(store.list(query(null, null, null, null, "artifactId,-ip"))))
                .containsExactly("10.0.0.4", "10.0.0.3", "10.0.0.2", "10.0.0.1");
        assertThat(ips(store.list(query(null, null, null, null, "artifactId"))))
                .containsExactly("10.0.0.3", "10.0.0.4", "10.0.0.2", "10.0.0.1");
        assertThat(ips(store.list(query(null, null, null, null, null))))
                .containsExactly("10.0.0.2", "10.0.0.1", "10.0.0.3", "10.0.0.4");
    }

    @Test
    void sortsByLastSeen() {
        Localnode first =
                store.register(registration("10.0.0.1", SITE, true, null, null)).node();
        Clocks.awaitPast(first.lastSeen());
        Localnode second =
                store.register(registration("10.0.0.2", SITE, true, null, null)).node();
        Clocks.awaitPast(second.lastSeen());
        store.register(registration("10.0.0.1", SITE, true, null, null));

        assertThat(ips(store.list(query(null, null, null, null, "-lastSeen")))).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(ips(store.list(query(null, null, null, null, "-firstSeen"))))
                .containsExactly("10.0.0.2", "10.0.0.1");
    }

    @Test
    void listsAndPagesASiteOfTwentyFiveThousandNodes() {
        jdbc.sql("INSERT INTO localnodes (ip, artifact_id, pingable, first_seen, last_seen)"
                        + " SELECT CONCAT('10.9.', CAST(x / 250 AS VARCHAR), '.', CAST(MOD(x, 250) AS VARCHAR)), ?, TRUE,"
                        + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM generate_series(0, 24999) AS g(x)")
                .param(SITE)
                .update();

        Page<Localnode> first = store.list(query(null, null, 1, 20, null));
        Page<Localnode> last = store.list(query(null, null, 1250, 20, "-ip"));

        assertThat(first.total()).isEqualTo(25_000);
        assertThat(first.rows()).hasSize(20);
        assertThat(first.rows().getFirst().ip()).isEqualTo("10.9.0.0");
        assertThat(last.rows()).hasSize(20);
        assertThat(last.rows().getLast().ip()).isEqualTo("10.9.0.0");
        assertThat(store.list(query("10.9.99.", "ip", 3, 100, null)).rows()).hasSize(50);
    }

    @Test
    void pagesThroughNodesWithTotals() {
        IntStream.rangeClosed(1, 12).forEach(i -> store.register(registration("10.0.2." + i, SITE, true, null, null)));

        Page<Localnode> first = store.list(query(null, null, 1, 5, null));
        Page<Localnode> last = store.list(query(null, null, 3, 5, null));

        assertThat(ips(first)).containsExactly("10.0.2.1", "10.0.2.2", "10.0.2.3", "10.0.2.4", "10.0.2.5");
        assertThat(ips(last)).containsExactly("10.0.2.11", "10.0.2.12");
        assertThat(last.total()).isEqualTo(12);
        assertThat(last.totalPages()).isEqualTo(3);
        assertThat(last.page()).isEqualTo(3);
        assertThat(last.pageSize()).isEqualTo(5);
        assertThat(store.list(query(null, null, 4, 5, null)).rows()).isEmpty();
        assertThat(store.list(query("10.0.2.1", null, 1, 2, null))).satisfies(page -> {
            assertThat(page.total()).isEqualTo(4); // .1, .10, .11, .12
            assertThat(page.totalPages()).isEqualTo(2);
            assertThat(page.rows()).hasSize(2);
        });
    }

    @Test
    void deleteRemovesTheNodeAndARegistrationAfterwardsCreatesItAnew() {
        Localnode node =
                store.register(registration("10.0.0.5", SITE, true, null, null)).node();

        store.delete(node.id());

        assertThat(store.find(node.id())).isEmpty();
        assertThat(rowCount()).isZero();
        LocalnodeStore.Registered again = store.register(registration("10.0.0.5", SITE, true, null, null));
        assertThat(again.created()).isTrue();
        assertThat(again.node().id()).isNotEqualTo(node.id());
    }

    @Test
    void unknownIdsAreNotFound() {
        assertThat(store.find(424242)).isEmpty();
        assertThatThrownBy(() -> store.get(424242))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> store.delete(424242))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    private long rowCount() {
        return jdbc.sql("SELECT COUNT(*) FROM localnodes").query(Long.class).single();
    }

    private static LocalnodeRegistration registration(
            String ip, String artifactId, boolean pingable, String mac, String hostname) {
        return new LocalnodeRegistration(ip, artifactId, pingable, mac, hostname).validated();
    }

    private static ListRequest query(String search, String searchFields, Integer page, Integer pageSize, String sort) {
        return new ListRequest(search, searchFields, page, pageSize, sort);
    }

    private static List<String> ips(Page<Localnode> page) {
        return page.rows().stream().map(Localnode::ip).toList();
    }
}
