package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ArtifactsConfig {

    /** Built files under {@code <data-dir>/artifacts}. */
    @Bean
    ArtifactStore artifactStore(ProvisionerProperties properties, ArtifactFileCatalog catalog, Clock clock) {
        return new FileSystemArtifactStore(properties.dataDir().resolve("artifacts"), catalog, clock);
    }
}
