package io.clusterplatform.provisioner.server.config;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: H2 in a file under the data directory by default (in PostgreSQL mode, so the same
 * SQL runs on both), PostgreSQL when {@code provisioner.database-url} is set.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {
    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

    @Bean
    DataSource dataSource(ProvisionerProperties properties) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("provisioner");
        if (properties.embeddedDatabase()) {
            Path dir = properties.dataDir().toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
            }
            dataSource.setJdbcUrl(embeddedUrl(dir));
            dataSource.setUsername("sa");
            dataSource.setMaximumPoolSize(10);
            log.info("Using the embedded database in {}", dir);
        } else {
            String url = properties.databaseUrl();
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(
                        "database URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db),"
                                + " or empty for the embedded database");
            }
            dataSource.setJdbcUrl(url);
            if (!properties.databaseUser().isBlank()) {
                dataSource.setUsername(properties.databaseUser());
            }
            if (!properties.databasePassword().isBlank()) {
                dataSource.setPassword(properties.databasePassword());
            }
            dataSource.setMaximumPoolSize(20);
            log.info("Using PostgreSQL at {}", withoutCredentials(url));
        }
        return dataSource;
    }

    /**
     * The embedded database's URL. {@code WRITE_DELAY=0} makes every commit reach the file before the
     * request is answered: H2's default delays writes by up to a second, and a SIGKILL then lost
     * requests the API had accepted (BuildRestartTest caught it).
     */
    public static String embeddedUrl(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("provisioner")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE"
                + ";WRITE_DELAY=0";
    }

    /** The URL without its query string, which may carry a user and password. */
    static String withoutCredentials(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
