package io.clusterplatform.provisioner.server.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.mesh.TokenRole;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the mesh stores promise, on every backend. */
abstract class MeshStoreContract {
    private MeshService mesh;
    private MeshNetworkStore networks;
    private MeshTokenStore tokens;
    private MeshNodeStore nodes;
    private JdbcClient jdbc;

    @BeforeEach
    void nothingStored(StandaloneServer server) {
        mesh = server.bean(MeshService.class);
        networks = server.bean(MeshNetworkStore.class);
        tokens = server.bean(MeshTokenStore.class);
        nodes = server.bean(MeshNodeStore.class);
        jdbc = server.bean(JdbcClient.class);
        jdbc.sql("DELETE FROM mesh_networks").update();
    }

    private MeshNetwork network(String ipv4Range) {
        return mesh.createNetwork(new MeshService.CreateNetwork(MeshFixtures.networkId(), null, ipv4Range));
    }

    private String token(MeshNetwork network, String role, int uses) {
        return mesh.createToken(network.networkId(), new MeshService.CreateToken(role, uses, "1h", null))
                .token();
    }

    private JoinAnswer join(String token, String hostname) {
        return mesh.join(new MeshService.JoinRequest(token, MeshFixtures.publicKey(), hostname, null, null));
    }

    @Test
    void tokensAreStoredHashedAndFoundByTheirPublicPrefix() {
        MeshNetwork network = network(null);
        CreatedJoinToken created =
                mesh.createToken(network.networkId(), new MeshService.CreateToken("worker", 3, "2h", "rack 4"));

        assertThat(created.token()).startsWith("cpm_").startsWith(created.prefix());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mesh_join_tokens WHERE token_hash = ? OR prefix = ?")
                        .params(created.token(), created.token())
                        .query(Long.class)
                        .single())
                .as("the token itself is never stored")
                .isZero();
        assertThat(tokens.find(created.token()).orElseThrow().token().usesLeft())
                .isEqualTo(3);
        assertThat(tokens.find(created.token() + "x")).isEmpty();
        assertThat(tokens.find(created.prefix())).isEmpty();
        JoinToken listed = tokens.list(network).getFirst();
        assertThat(listed.role()).isEqualTo("worker");
        assertThat(listed.name()).isEqualTo("rack 4");
        assertThat(listed.state()).isEqualTo("active");
        assertThat(Duration.between(listed.createdAt(), listed.expiresAt())).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void concurrentConsumptionTakesExactlyTheUsesLeft() throws Exception {
        MeshNetwork network = network(null);
        long id = tokens.find(token(network, "auto", 3)).orElseThrow().token().id();

        List<Boolean> taken = race(40, () -> tokens.consume(id));

        assertThat(taken.stream().filter(t -> t).count()).isEqualTo(3);
        JoinToken after = tokens.get(network, id);
        assertThat(after.usesLeft()).isZero();
        assertThat(after.state()).isEqualTo("used");
        assertThat(tokens.refusal(id, after.prefix()).getMessage()).contains("has been used 3 times, its limit");
    }

    @Test
    void concurrentJoinsWithASingleUseTokenAdmitExactlyOneHost() throws Exception {
        MeshNetwork network = network("10.77.0.0/24");
        String token = token(network, "auto", 1);

        List<Object> outcomes = race(30, () -> {
            try {
                return join(token, "host");
            } catch (ProblemException e) {
                return e;
            }
        });

        assertThat(outcomes).filteredOn(JoinAnswer.class::isInstance).hasSize(1);
        assertThat(outcomes)
                .filteredOn(ProblemException.class::isInstance)
                .hasSize(29)
                .allSatisfy(e -> assertThat(((ProblemException) e).getMessage())
                        .contains("has been used: it admits one host only"));
        assertThat(nodes.ofNetwork(network.pk())).hasSize(1);
        assertThat(networks.get(network.networkId()).addressesIssued())
                .as("refused joins give their sequence number back with their transaction")
                .isEqualTo(1);
    }

    @Test
    void concurrentAutoJoinsMakeExactlyOneMaster() throws Exception {
        MeshNetwork network = network(null);
        String token = token(network, "auto", 20);

        List<JoinAnswer> answers = race(20, () -> join(token, "host"));

        assertThat(answers).extracting(JoinAnswer::role).containsOnlyOnce("master");
        assertThat(answers).extracting(JoinAnswer::address).doesNotHaveDuplicates();
        assertThat(answers).extracting(JoinAnswer::version).doesNotHaveDuplicates();
    }

    @Test
    void addressesAreNeverReusedAfterRemoval() {
        MeshNetwork network = network("10.78.0.0/29");
        String token = token(network, "worker", 10);
        JoinAnswer first = join(token, "one");
        JoinAnswer second = join(token, "two");
        JoinAnswer third = join(token, "three");
        String prefix = network.ipv6Prefix().replace("/48", "");
        assertThat(first.address()).isEqualTo(prefix + "1");
        assertThat(List.of(first.ipv4(), second.ipv4(), third.ipv4()))
                .containsExactly("10.78.0.1", "10.78.0.2", "10.78.0.3");

        mesh.removeNode(network.networkId(), third.nodeId());
        mesh.removeNode(network.networkId(), second.nodeId());
        JoinAnswer fourth = join(token, "four");

        assertThat(fourth.address()).isEqualTo(prefix + "4");
        assertThat(fourth.ipv4()).isEqualTo("10.78.0.4");
        join(token, "five");
        join(token, "six");
        assertThatThrownBy(() -> join(token, "seven"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("has given out all 6 addresses of its IPv4 range 10.78.0.0/29");
        assertThat(tokens.find(token).orElseThrow().token().usesLeft())
                .as("the refused join did not use the token")
                .isEqualTo(4);
    }

    @Test
    void everyChangeTakesTheNextVersionAndIsLogged() {
        MeshNetwork network = network(null);
        String token = token(network, "auto", 5);
        JoinAnswer a = join(token, "a");
        JoinAnswer b = join(token, "b");
        assertThat(List.of(a.version(), b.version())).containsExactly(1L, 2L);
        assertThat(b.peers()).extracting(Peer::nodeId).containsExactly(a.nodeId());

        mesh.report(auth(network, b), new MeshService.StatusReport("198.51.100.2:51820", List.of(), null, null, null));
        mesh.report(auth(network, b), new MeshService.StatusReport("198.51.100.2:51820", List.of(), null, null, null));
        mesh.removeNode(network.networkId(), a.nodeId());

        assertThat(networks.version(network.pk())).contains(4L);
        assertThat(networks.changes(network.pk(), 0, 4))
                .containsExactly(
                        new MeshNetworkStore.Change(1, a.nodeId(), "added"),
                        new MeshNetworkStore.Change(2, b.nodeId(), "added"),
                        new MeshNetworkStore.Change(3, b.nodeId(), "updated"),
                        new MeshNetworkStore.Change(4, a.nodeId(), "removed"));
        assertThat(networks.changes(network.pk(), 2, 3)).hasSize(1);

        assertThat(networks.pruneChanges(Instant.now().plusSeconds(1))).isEqualTo(4);
        assertThat(networks.changes(network.pk(), 0, 4)).isEmpty();
        assertThat(networks.version(network.pk())).as("the version stays").contains(4L);
    }

    @Test
    void sightingsAreKeptPerPairAndGiveTheLatestHandshake() {
        MeshNetwork network = network(null);
        String token = token(network, "auto", 3);
        JoinAnswer a = join(token, "a");
        JoinAnswer b = join(token, "b");
        JoinAnswer c = join(token, "c");
        Instant early = Instant.parse("2026-01-01T12:00:00Z");
        Instant late = Instant.parse("2026-01-01T12:05:00Z");

        nodes.recordSightings(b.nodeId(), List.of(new MeshNodeStore.Sighting(a.nodeId(), early, 1, 2, null, null)));
        nodes.recordSightings(c.nodeId(), List.of(new MeshNodeStore.Sighting(a.nodeId(), late, 3, 4, null, null)));
        nodes.recordSightings(b.nodeId(), List.of(new MeshNodeStore.Sighting(a.nodeId(), early, 10, 20, null, null)));

        MeshNode seen = nodes.find(a.nodeId()).orElseThrow();
        assertThat(seen.lastHandshake()).isEqualTo(late);
        assertThat(nodes.seenBy(a.nodeId()))
                .extracting(MeshNodeStore.Report::nodeId, MeshNodeStore.Report::rxBytes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(b.nodeId(), 10L),
                        org.assertj.core.groups.Tuple.tuple(c.nodeId(), 3L));
        assertThat(nodes.sees(b.nodeId()))
                .singleElement()
                .satisfies(r -> assertThat(r.nodeId()).isEqualTo(a.nodeId()));

        mesh.removeNode(network.networkId(), c.nodeId());
        assertThat(nodes.find(a.nodeId()).orElseThrow().lastHandshake())
                .as("a removed reporter's sightings go with it")
                .isEqualTo(early);
    }

    @Test
    void deletingANetworkDeletesItsTokensNodesAndChanges() {
        MeshNetwork network = network(null);
        String token = token(network, "auto", 2);
        JoinAnswer node = join(token, "a");

        networks.delete(network.networkId());

        assertThat(networks.find(network.networkId())).isEmpty();
        assertThat(tokens.find(token)).isEmpty();
        assertThat(nodes.find(node.nodeId())).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mesh_changes WHERE network_pk = ?")
                        .param(network.pk())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void revokedAndExpiredTokensAdmitNoOne() {
        MeshNetwork network = network(null);
        String revoked = token(network, "auto", 5);
        String expired = token(network, "auto", 5);
        long revokedId = tokens.find(revoked).orElseThrow().token().id();
        long expiredId = tokens.find(expired).orElseThrow().token().id();
        tokens.revoke(network, revokedId);
        jdbc.sql("UPDATE mesh_join_tokens SET expires_at = ? WHERE id = ?")
                .params(java.time.OffsetDateTime.now().minusMinutes(1), expiredId)
                .update();

        assertThat(tokens.consume(revokedId)).isFalse();
        assertThat(tokens.consume(expiredId)).isFalse();
        assertThat(tokens.get(network, revokedId).state()).isEqualTo("revoked");
        assertThat(tokens.get(network, expiredId).state()).isEqualTo("expired");
        assertThat(TokenRole.parse("role", tokens.get(network, expiredId).role()))
                .isEqualTo(TokenRole.AUTO);
    }

    private static MeshNodeAuthentication auth(MeshNetwork network, JoinAnswer node) {
        return new MeshNodeAuthentication(node.nodeId(), network.pk(), network.networkId(), node.role());
    }

    /** Runs {@code task} on {@code threads} threads released at the same moment; their results. */
    static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
