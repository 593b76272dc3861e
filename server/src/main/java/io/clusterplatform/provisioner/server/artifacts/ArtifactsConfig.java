package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class ArtifactsConfig {
    private static final Logger log = LoggerFactory.getLogger(ArtifactsConfig.class);

    /**
     * Built files and boot assets under {@code <data-dir>/artifacts}, or, with {@code
     * provisioner.artifact-store} ({@code PROVISIONER_ARTIFACT_STORE}) set to {@code
     * s3://BUCKET[/prefix]}, in that bucket (see {@link S3Location} for the AWS variables), staged
     * under {@code <data-dir>/artifacts-staging}.
     */
    @Bean
    ArtifactStore artifactStore(
            ProvisionerProperties properties,
            ArtifactFileCatalog catalog,
            Clock clock,
            Environment environment,
            @Value("${provisioner.artifact-store:}") String location) {
        if (location.isBlank()) {
            return new FileSystemArtifactStore(properties.dataDir().resolve("artifacts"), catalog, clock);
        }
        S3Location s3 = S3Location.parse(location.trim());
        // The AWS variables from the environment, or as properties (--AWS_REGION=... on the command line).
        java.util.Map<String, String> aws = new java.util.HashMap<>();
        for (String name : S3Location.VARIABLES) {
            String value = environment.getProperty(name);
            if (value != null) {
                aws.put(name, value);
            }
        }
        log.info("Artifacts are stored in s3://{}/{}", s3.bucket(), s3.prefix());
        return new S3ArtifactStore(
                S3Location.client(aws),
                s3.bucket(),
                s3.prefix(),
                properties.dataDir().resolve("artifacts-staging"),
                catalog,
                clock);
    }
}
