package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What {@link DistributorStore} and {@link DistributorTokenService} promise, on every backend. */
abstract class DistributorStoreContract {
    private static final String SITE = "felicitas.pojtinger.swabia.sol";
    private static final DistributorSettings SETTINGS = new DistributorSettings(
            "http://server:30003/ipxes/a/ipxe.efi",
            "http://server:30003/ipxes/b/ipxe.kpxe",
            "1",
            "enp0s25",
            "192.168.178.1",
            "http://server:30003/ipxes/c/ipxe.efi");

    private DistributorStore store;
    private DistributorTokenService tokens;
    private JdbcClient jdbc;

    @BeforeEach
    void nothingStored(StandaloneServer server) {
        store = server.bean(DistributorStore.class);
        tokens = server.bean(DistributorTokenService.class);
        jdbc = server.bean(JdbcClient.class);
        jdbc.sql("DELETE FROM distributor_commands").update();
        jdbc.sql("DELETE FROM distributors").update();
        jdbc.sql("DELETE FROM distributor_tokens").update();
    }

    @Test
    void tokensAreStoredHashedAndStopWorkingWhenRevoked() {
        CreatedDistributorToken created = tokens.create(SITE, "lab");
        assertThat(created.token()).startsWith("cpd_").startsWith(created.prefix());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM distributor_tokens WHERE token_hash = ? OR prefix = ?")
                        .params(created.token(), created.token())
                        .query(Long.class)
                        .single())
                .as("the token itself is never stored")
                .isZero();
        assertThat(tokens.check(created.token()).orElseThrow().artifactId()).isEqualTo(SITE);
        assertThat(tokens.check(created.token() + "x")).isEmpty();

        tokens.revoke(created.id());

        assertThat(tokens.check(created.token())).isEmpty();
        assertThat(tokens.list())
                .singleElement()
                .satisfies(t -> assertThat(t.revoked()).isTrue());
    }

    @Test
    void registeringTwiceKeepsOneDistributorPerArtifactIdAndHostname() {
        long token = tokens.create(SITE, null).id();
        DistributorStore.Registered first = store.register(SITE, "pxe-1", "0.1", token);
        DistributorStore.Registered again = store.register(SITE, "pxe-1", "0.2", token);
        DistributorStore.Registered other = store.register(SITE, "pxe-2", "0.2", token);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.distributor().id()).isEqualTo(first.distributor().id());
        assertThat(again.distributor().version()).isEqualTo("0.2");
        assertThat(again.distributor().online()).isTrue();
        assertThat(again.distributor().tokenId()).isEqualTo(token);
        assertThat(other.distributor().id()).isNotEqualTo(first.distributor().id());
        assertThat(store.list(new ListRequest("pxe-1", "hostname", null, null, null))
                        .total())
                .isEqualTo(1);
    }

    @Test
    void updateStoresSettingsAndQueuesACommandDeliveredUntilAcknowledgedOnce() {
        long id = store.register(SITE, "pxe-1", "0.1", tokens.create(SITE, null).id())
                .distributor()
                .id();
        assertThat(store.deliverNext(id)).isEmpty();

        DistributorCommand queued = store.updateSettings(id, SETTINGS);

        assertThat(queued.status()).isEqualTo("pending");
        assertThat(queued.payload().get("device").asText()).isEqualTo("enp0s25");
        assertThat(store.get(id).settings()).isEqualTo(SETTINGS);

        DistributorCommand delivered = store.deliverNext(id).orElseThrow();
        assertThat(delivered.id()).isEqualTo(queued.id());
        assertThat(delivered.status()).isEqualTo("delivered");
        DistributorCommand redelivered = store.deliverNext(id).orElseThrow();
        assertThat(redelivered.id()).as("not acknowledged: delivered again").isEqualTo(queued.id());
        assertThat(redelivered.deliveries()).isEqualTo(2);

        DistributorCommand done = store.acknowledge(id, queued.id(), true, "interface=enp0s25\n", null);
        assertThat(done.status()).isEqualTo("done");
        assertThat(done.output()).isEqualTo("interface=enp0s25\n");
        assertThatThrownBy(() -> store.acknowledge(id, queued.id(), false, null, "late"))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(409));
        assertThat(store.command(queued.id()).orElseThrow().output()).isEqualTo("interface=enp0s25\n");
        assertThat(store.deliverNext(id)).isEmpty();
    }

    @Test
    void commandsComeInOrderAndFailuresKeepTheirError() {
        long id = store.register(SITE, "pxe-1", null, tokens.create(SITE, null).id())
                .distributor()
                .id();
        DistributorCommand off = store.requestStatus(id, false);
        DistributorCommand on = store.requestStatus(id, true);

        assertThat(store.get(id).on()).isTrue();
        assertThat(store.deliverNext(id).orElseThrow().id()).isEqualTo(off.id());
        store.acknowledge(id, off.id(), false, null, "dnsmasq: unknown interface enp0s25");
        assertThat(store.deliverNext(id).orElseThrow().payload().get("on").asBoolean())
                .isTrue();
        assertThat(store.recentCommands(id, 10))
                .extracting(DistributorCommand::id, DistributorCommand::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(on.id(), "delivered"),
                        org.assertj.core.groups.Tuple.tuple(off.id(), "failed"));
        assertThat(store.command(off.id()).orElseThrow().error()).contains("unknown interface");
    }

    @Test
    void anotherDistributorCannotAcknowledgeAForeignCommand() {
        long token = tokens.create(SITE, null).id();
        long a = store.register(SITE, "pxe-a", null, token).distributor().id();
        long b = store.register(SITE, "pxe-b", null, token).distributor().id();
        DistributorCommand command = store.requestStatus(a, true);

        assertThatThrownBy(() -> store.acknowledge(b, command.id(), true, null, null))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(404));
        assertThat(store.command(command.id()).orElseThrow().status()).isEqualTo("pending");
    }

    @Test
    void aDistributorNotSeenForAMinuteIsListedOffline() {
        long id = store.register(SITE, "pxe-1", null, tokens.create(SITE, null).id())
                .distributor()
                .id();
        OffsetDateTime longAgo =
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5).truncatedTo(ChronoUnit.SECONDS);
        jdbc.sql("UPDATE distributors SET last_seen = ? WHERE id = ?")
                .params(longAgo, id)
                .update();

        Distributor offline = store.list(new ListRequest(SITE, "artifactId", null, null, null))
                .rows()
                .getFirst();
        assertThat(offline.online()).isFalse();
        assertThat(offline.lastSeen()).isEqualTo(longAgo.toInstant());

        store.touch(id);
        assertThat(store.get(id).online()).isTrue();
    }
}
