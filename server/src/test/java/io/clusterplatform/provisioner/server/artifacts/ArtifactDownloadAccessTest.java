package io.clusterplatform.provisioner.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With {@code provisioner.open-boot-endpoints=false}, downloads need an operator token too. */
class ArtifactDownloadAccessTest {
    private static StandaloneServer server;
    private static String path;

    @BeforeAll
    static void startWithClosedBootEndpoints() throws Exception {
        server = StandaloneServer.startFresh("--provisioner.open-boot-endpoints=false");
        UUID id = UUID.randomUUID();
        try (ArtifactStaging staging = server.bean(ArtifactStore.class).stage(ArtifactKind.ISOS, id)) {
            Files.writeString(staging.file("dist.iso"), "an ISO");
            path = staging.publish().getFirst().path();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void refusesADownloadWithoutAToken() {
        var response = server.api().get(path);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("an ISO");
    }

    @Test
    void servesADownloadToAnOperator() {
        var response = server.api().asOperator().get(path);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("an ISO");
    }
}
