package io.clusterplatform.provisioner.server.localnodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.UseBackend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

@UseBackend(Backend.POSTGRESQL)
class PostgresLocalnodeStoreTest extends LocalnodeStoreContract {

    /**
     * Replicas behind a load balancer register the same hosts: another server inserts a node of a
     * batch after the batch looked it up. The batch then updates that node (it is not new to this
     * caller) and the batch stays one transaction: before, {@code registerAll} failed on the unique
     * key and the registrar wrote every registration of the batch on its own.
     */
    @Test
    void aNodeAnotherServerInsertsWhileABatchIsWrittenIsUpdatedByTheBatch(StandaloneServer server) throws Exception {
        LocalnodeStore store = server.bean(LocalnodeStore.class);
        JdbcClient jdbc = server.bean(JdbcClient.class);
        String site = "raced.site";
        try (Connection other = server.bean(DataSource.class).getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement(
                    "INSERT INTO localnodes (ip, artifact_id, pingable, hostname, first_seen, last_seen, verified)"
                            + " VALUES ('10.0.9.1', ?, false, 'from-the-other', now(), now(), true)")) {
                insert.setString(1, site);
                insert.executeUpdate();
            }
            CompletableFuture<List<LocalnodeStore.Registered>> batch =
                    CompletableFuture.supplyAsync(() -> store.registerAll(List.of(
                            new LocalnodeStore.Claim(
                                    new LocalnodeRegistration("10.0.9.1", site, true, null, null).validated(), true),
                            new LocalnodeStore.Claim(
                                    new LocalnodeRegistration("10.0.9.2", site, true, null, "new").validated(),
                                    true))));
            // The batch's insert waits for the other transaction's row: then that commits.
            Awaitility.await()
                    .atMost(Timeouts.request())
                    .until(() -> jdbc.sql("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                                    .query(Integer.class)
                                    .single()
                            > 0);
            other.commit();

            List<LocalnodeStore.Registered> answers =
                    batch.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
            assertThat(answers).extracting(LocalnodeStore.Registered::created).containsExactly(false, true);
            assertThat(answers.get(0).node().hostname()).as("kept").isEqualTo("from-the-other");
            assertThat(answers.get(0).node().pingable())
                    .as("the batch's update")
                    .isTrue();
            assertThat(answers.get(1).node().hostname()).isEqualTo("new");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM localnodes WHERE artifact_id = ?")
                            .param(site)
                            .query(Integer.class)
                            .single())
                    .isEqualTo(2);
            // Each registration has its event.
            assertThat(jdbc.sql("SELECT COUNT(*) FROM node_events WHERE node_id IN (?, ?)")
                            .params(
                                    answers.get(0).node().id(),
                                    answers.get(1).node().id())
                            .query(Integer.class)
                            .single())
                    .isEqualTo(2);
        }
    }
}
