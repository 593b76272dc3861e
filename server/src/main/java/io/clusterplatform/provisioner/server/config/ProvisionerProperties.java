package io.clusterplatform.provisioner.server.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the server, under {@code provisioner.*}. Each one can also be given as an environment
 * variable ({@code PROVISIONER_DATA_DIR}, {@code PROVISIONER_DATABASE_URL}, ...).
 *
 * @param dataDir where the embedded database, logs and built files live
 * @param databaseUrl a PostgreSQL JDBC URL; empty means the embedded database in {@code dataDir}
 * @param databaseUser user for {@code databaseUrl} (may also be part of the URL)
 * @param databasePassword password for {@code databaseUrl} (may also be part of the URL)
 * @param bootstrapToken an operator token to create at start (for automation); otherwise one is
 *     generated on first start and printed once
 * @param openBootEndpoints whether booting hosts may fetch scripts and register without a token
 * @param maxBodySize the largest request body the API accepts (413 above it)
 * @param publicUrl the base URL hosts and distributors fetch built files from ({@code
 *     https://provisioner.example:8443}); empty means scheme, host and port of each request's {@code
 *     Host} header
 */
@ConfigurationProperties("provisioner")
public record ProvisionerProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("") String databaseUrl,
        @DefaultValue("") String databaseUser,
        @DefaultValue("") String databasePassword,
        @DefaultValue("") String bootstrapToken,
        @DefaultValue("true") boolean openBootEndpoints,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("") String publicUrl) {

    public boolean embeddedDatabase() {
        return databaseUrl.isBlank();
    }
}
