package io.clusterplatform.provisioner.server.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.nodes.NodeHealth.Colour;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.distributors.Distributor;
import io.clusterplatform.provisioner.server.distributors.DistributorStore;
import io.clusterplatform.provisioner.server.localnodes.Localnode;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeRegistration;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What {@link LivenessStore} and the node events promise, on every backend. */
abstract class LivenessStoreContract {
    private static final String SITE = "felicitas.pojtinger.swabia.sol";
    private static final String OTHER_SITE = "other.example";

    private LivenessStore liveness;
    private LocalnodeStore nodes;
    private NodeEventStore events;
    private DistributorStore distributors;
    private JdbcClient jdbc;
    private Distributor distributor;

    @BeforeEach
    void oneDistributorAndNoNodes(StandaloneServer server) {
        liveness = server.bean(LivenessStore.class);
        nodes = server.bean(LocalnodeStore.class);
        events = server.bean(NodeEventStore.class);
        distributors = server.bean(DistributorStore.class);
        jdbc = server.bean(JdbcClient.class);
        jdbc.sql("DELETE FROM localnodes").update();
        jdbc.sql("DELETE FROM distributors").update();
        distributor = distributors.register(SITE, "pxe-1", "0.1", 1).distributor();
    }

    /** A node that registered two minutes ago, so that checks of the last minute come after it. */
    private Localnode node(String ip, String site) {
        Localnode node = nodes.register(new LocalnodeRegistration(ip, site, true, null, null).validated())
                .node();
        OffsetDateTime registered = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(2);
        jdbc.sql("UPDATE localnodes SET first_seen = ?, last_seen = ? WHERE id = ?")
                .params(registered, registered, node.id())
                .update();
        jdbc.sql("UPDATE node_events SET at = ? WHERE node_id = ?")
                .params(registered, node.id())
                .update();
        return nodes.get(node.id());
    }

    private static Instant secondsAgo(long seconds) {
        return Instant.now().minusSeconds(seconds).truncatedTo(ChronoUnit.MICROS);
    }

    private static CheckResult check(Localnode node, boolean reachable, Boolean sshOpen, Instant at) {
        return new CheckResult(node.id(), node.ip(), reachable, sshOpen, at);
    }

    private List<NodeEventKind> kinds(Localnode node) {
        return events.newest(node.id(), 100).reversed().stream()
                .map(NodeEvent::kind)
                .toList();
    }

    @Test
    void listsTheNodesOfTheDistributorsArtifactIdToCheck() {
        Localnode a = node("10.0.0.1", SITE);
        node("10.0.0.2", OTHER_SITE);
        Localnode c = node("fd00::3", SITE);

        assertThat(liveness.targets(SITE))
                .containsExactly(
                        new LivenessStore.Target(a.id(), "10.0.0.1", 22),
                        new LivenessStore.Target(c.id(), "fd00::3", 22));
    }

    @Test
    void aRegistrationIsANodeEvent() {
        Localnode node = nodes.register(
                        new LocalnodeRegistration("10.0.0.1", SITE, true, "52:54:00:12:34:56", "node-1").validated())
                .node();
        nodes.register(new LocalnodeRegistration("10.0.0.1", SITE, false, null, null).validated());

        List<NodeEvent> newest = events.newest(node.id(), 10);
        assertThat(newest).extracting(NodeEvent::kind).containsOnly(NodeEventKind.REGISTERED);
        assertThat(newest.getLast().detail())
                .isEqualTo("registered from 10.0.0.1 with artifactId " + SITE
                        + ", hostname node-1, mac 52:54:00:12:34:56, pingable=true");
        assertThat(newest.getFirst().detail()).startsWith("registered again from 10.0.0.1");
        assertThat(newest.getFirst().at()).isEqualTo(nodes.get(node.id()).lastSeen());
    }

    @Test
    void theFirstCheckFillsTheNodeAndIsAnEvent() {
        Localnode node = node("10.0.0.1", SITE);
        Instant at = secondsAgo(1);

        assertThat(liveness.record(distributor, List.of(check(node, true, true, at))))
                .isEqualTo(1);

        Localnode checked = nodes.get(node.id());
        assertThat(checked.reachable()).isTrue();
        assertThat(checked.sshOpen()).isTrue();
        assertThat(checked.pingable()).isTrue();
        assertThat(checked.lastCheckedAt()).isEqualTo(at);
        assertThat(checked.lastSeen()).as("it registered before the check").isEqualTo(at);
        assertThat(checked.health()).isEqualTo(Colour.GREEN);
        assertThat(checked.healthReason()).isEqualTo("reachable at " + at);
        assertThat(jdbc.sql("SELECT checked_by FROM localnodes WHERE id = ?")
                        .param(node.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(distributor.id());
        NodeEvent event = events.newest(node.id(), 1).getFirst();
        assertThat(event.kind()).isEqualTo(NodeEventKind.REACHABLE);
        assertThat(event.at()).isEqualTo(at);
        assertThat(event.detail())
                .isEqualTo("reached by distributor " + distributor.id() + " (pxe-1); ssh port 22 open");
    }

    @Test
    void onlyChangesOfReachableAreEvents() {
        Localnode node = node("10.0.0.1", SITE);

        liveness.record(distributor, List.of(check(node, true, true, secondsAgo(50))));
        liveness.record(distributor, List.of(check(node, true, false, secondsAgo(40))));
        liveness.record(distributor, List.of(check(node, false, false, secondsAgo(30))));
        liveness.record(distributor, List.of(check(node, false, null, secondsAgo(20))));
        liveness.record(distributor, List.of(check(node, true, null, secondsAgo(10))));

        assertThat(kinds(node))
                .containsExactly(
                        NodeEventKind.REGISTERED,
                        NodeEventKind.REACHABLE,
                        NodeEventKind.UNREACHABLE,
                        NodeEventKind.REACHABLE);
        assertThat(events.newest(node.id(), 2).getLast().detail())
                .isEqualTo("not reached by distributor " + distributor.id() + " (pxe-1): no answer on ssh port 22 or"
                        + " to ping");
        assertThat(nodes.get(node.id()).sshOpen())
                .as("not tried by the last check")
                .isNull();
    }

    @Test
    void anUnreachableCheckClearsPingableAndKeepsLastSeen() {
        Localnode node = node("10.0.0.1", SITE);
        Instant reached = secondsAgo(20);
        liveness.record(distributor, List.of(check(node, true, true, reached)));
        Instant failed = secondsAgo(10);

        liveness.record(distributor, List.of(check(node, false, false, failed)));

        Localnode checked = nodes.get(node.id());
        assertThat(checked.pingable()).isFalse();
        assertThat(checked.reachable()).isFalse();
        assertThat(checked.lastCheckedAt()).isEqualTo(failed);
        assertThat(checked.lastSeen()).isEqualTo(reached);
        assertThat(checked.health()).isEqualTo(Colour.GREEN);
        assertThat(checked.healthReason())
                .isEqualTo("reachable at " + reached + "; the check at " + failed + " failed");
    }

    @Test
    void aRegistrationAfterTheLastCheckStaysLastSeen() {
        Localnode node = nodes.register(new LocalnodeRegistration("10.0.0.1", SITE, true, null, null).validated())
                .node();

        liveness.record(
                distributor, List.of(check(node, true, true, node.lastSeen().minusSeconds(5))));

        assertThat(nodes.get(node.id()).lastSeen()).isEqualTo(node.lastSeen());
    }

    @Test
    void anOlderResultThanTheStoredOneIsIgnored() {
        Localnode node = node("10.0.0.1", SITE);
        Instant newer = secondsAgo(5);
        liveness.record(distributor, List.of(check(node, true, true, newer)));

        assertThat(liveness.record(distributor, List.of(check(node, false, false, secondsAgo(10)))))
                .isZero();

        assertThat(nodes.get(node.id()).reachable()).isTrue();
        assertThat(nodes.get(node.id()).lastCheckedAt()).isEqualTo(newer);
        assertThat(kinds(node)).containsExactly(NodeEventKind.REGISTERED, NodeEventKind.REACHABLE);
    }

    @Test
    void aCheckInTheFutureCountsAsNow() {
        Localnode node = node("10.0.0.1", SITE);
        Instant before = Instant.now();

        liveness.record(
                distributor, List.of(check(node, true, true, Instant.now().plusSeconds(3600))));

        assertThat(nodes.get(node.id()).lastCheckedAt()).isBetween(before, Instant.now());
    }

    @Test
    void aNodeOfAnotherArtifactIdIsRefusedAndNothingIsWritten() {
        Localnode mine = node("10.0.0.1", SITE);
        Localnode theirs = node("10.0.0.2", OTHER_SITE);

        assertThatThrownBy(() -> liveness.record(
                        distributor,
                        List.of(check(mine, true, true, secondsAgo(1)), check(theirs, true, true, secondsAgo(1)))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.detail())
                            .startsWith(
                                    "'results[1].nodeId' " + theirs.id() + " is not a node of" + " artifactId " + SITE);
                });
        assertThat(nodes.get(mine.id()).lastCheckedAt()).isNull();
        assertThat(nodes.get(theirs.id()).lastCheckedAt()).isNull();
    }

    @Test
    void anAddressThatIsNotTheNodesIsRefused() {
        Localnode node = node("10.0.0.1", SITE);

        assertThatThrownBy(() -> liveness.record(
                        distributor, List.of(new CheckResult(node.id(), "10.0.0.9", true, true, secondsAgo(1)))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail())
                            .isEqualTo(
                                    "'results[0].ip' 10.0.0.9 is not the address of node " + node.id() + " (10.0.0.1)");
                });
    }

    @Test
    void anIpv6AddressMatchesInAnyWriting() {
        Localnode node = node("fd00:0:0::5", SITE);

        assertThat(liveness.record(
                        distributor, List.of(new CheckResult(node.id(), "fd00::5", true, true, secondsAgo(1)))))
                .isEqualTo(1);
    }

    @Test
    void aNodeDeletedMeanwhileIsSkipped() {
        Localnode kept = node("10.0.0.1", SITE);
        Localnode deleted = node("10.0.0.2", SITE);
        nodes.delete(deleted.id());

        assertThat(liveness.record(
                        distributor,
                        List.of(check(kept, true, true, secondsAgo(1)), check(deleted, true, true, secondsAgo(1)))))
                .isEqualTo(1);
    }

    @Test
    void concurrentReportsOfTheSameChangeRecordItOnce() {
        List<Localnode> many =
                IntStream.range(1, 21).mapToObj(i -> node("10.0.3." + i, SITE)).toList();
        Distributor second = distributors.register(SITE, "pxe-2", "0.1", 2).distributor();
        Instant at = secondsAgo(1);
        List<CheckResult> results =
                many.stream().map(n -> check(n, true, true, at)).toList();

        List<CompletableFuture<Integer>> reports = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> liveness.record(i % 2 == 0 ? distributor : second, i < 2 ? results : results.reversed())))
                .toList();
        reports.forEach(CompletableFuture::join);

        for (Localnode node : many) {
            assertThat(kinds(node)).containsExactly(NodeEventKind.REGISTERED, NodeEventKind.REACHABLE);
        }
    }

    @Test
    void healthIsUnknownWhileNoDistributorOfTheArtifactIdIsOnline() {
        Localnode node = node("10.0.0.1", SITE);
        assertThat(nodes.get(node.id()).health()).isEqualTo(Colour.UNKNOWN);
        assertThat(nodes.get(node.id()).healthReason()).isEqualTo("not checked yet");
        liveness.record(distributor, List.of(check(node, true, true, secondsAgo(1))));
        jdbc.sql("UPDATE distributors SET last_seen = ?")
                .param(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5))
                .update();

        Localnode offline = nodes.get(node.id());
        assertThat(offline.health()).isEqualTo(Colour.UNKNOWN);
        assertThat(offline.healthReason())
                .startsWith("no distributor of artifactId " + SITE + " is online to check it");
        assertThat(nodes.list(ListRequest.DEFAULT).rows())
                .extracting(Localnode::health)
                .containsExactly(Colour.UNKNOWN);

        Localnode elsewhere = node("10.0.0.2", OTHER_SITE);
        assertThat(nodes.get(elsewhere.id()).healthReason())
                .isEqualTo("no distributor of artifactId " + OTHER_SITE + " is online to check it");
    }

    @Test
    void listsSortAndSearchByTheCheckFields() {
        Localnode up = node("10.0.0.1", SITE);
        Localnode down = node("10.0.0.2", SITE);
        node("10.0.0.3", SITE);
        liveness.record(
                distributor, List.of(check(up, true, true, secondsAgo(2)), check(down, false, false, secondsAgo(1))));

        assertThat(nodes.list(new ListRequest("false", "reachable", null, null, null))
                        .rows())
                .extracting(Localnode::ip)
                .containsExactly("10.0.0.2");
        assertThat(nodes.list(new ListRequest(null, null, null, null, "lastCheckedAt"))
                        .rows())
                .as("never checked sorts last, as PostgreSQL sorts nulls")
                .extracting(Localnode::ip)
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
    }

    @Test
    void aDeletedDistributorLeavesItsChecksWithoutAChecker() {
        Localnode node = node("10.0.0.1", SITE);
        liveness.record(distributor, List.of(check(node, true, true, secondsAgo(1))));

        jdbc.sql("DELETE FROM distributors WHERE id = ?")
                .param(distributor.id())
                .update();

        assertThat(jdbc.sql("SELECT checked_by FROM localnodes WHERE id = ?")
                        .param(node.id())
                        .query(Long.class)
                        .optional())
                .isEmpty();
        assertThat(nodes.get(node.id()).reachable()).isTrue();
    }

    @Test
    void eventsGoWithTheirNodeAndOldOnesAreDeleted() {
        Localnode node = node("10.0.0.1", SITE);
        events.record(node.id(), NodeEventKind.UNREACHABLE, Instant.now().minus(40, ChronoUnit.DAYS), "old");
        events.record(node.id(), NodeEventKind.UNREACHABLE, Instant.now(), "x".repeat(3000));

        assertThat(events.deleteBefore(Instant.now().minus(30, ChronoUnit.DAYS)))
                .isEqualTo(1);
        assertThat(events.newest(node.id(), 10).getFirst().detail())
                .hasSize(2000)
                .endsWith("...");

        nodes.delete(node.id());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM node_events")
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
