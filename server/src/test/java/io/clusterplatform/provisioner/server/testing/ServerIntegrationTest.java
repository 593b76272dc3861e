package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.server.ServerApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests that talk HTTP to the real server on a random port, with the embedded database in a
 * fresh temporary data directory and a known operator token ({@link #OPERATOR_TOKEN}). Spring keeps
 * one server for all subclasses, so tests must not depend on ids or counts left by others: create
 * what you read, and search for it.
 */
@AutoConfigureObservability
@SpringBootTest(classes = ServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServerIntegrationTest {
    public static final String OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";
    private static final Path DATA_DIR = createDataDir();

    @LocalServerPort
    protected int port;

    protected Api api;

    @DynamicPropertySource
    static void serverProperties(DynamicPropertyRegistry registry) {
        registry.add("provisioner.data-dir", DATA_DIR::toString);
        registry.add("provisioner.bootstrap-token", () -> OPERATOR_TOKEN);
    }

    @BeforeEach
    void connect() {
        api = Api.at(port);
    }

    protected static Path dataDir() {
        return DATA_DIR;
    }

    private static Path createDataDir() {
        return ThrowawayDirectory.create("provisioner-test-").path();
    }
}
