package io.clusterplatform.provisioner.server.jobs;

import com.zaxxer.hikari.HikariDataSource;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.PostgresServer;
import io.clusterplatform.provisioner.server.testing.UseBackend;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/** The queue's contract on a real PostgreSQL: the claim with SKIP LOCKED across two connection pools. */
@UseBackend(Backend.POSTGRESQL)
class PostgresJobQueueTest extends JobQueueContractTest {
    private static String url;

    @BeforeAll
    static void database(BackendDatabase database) {
        url = database.jdbcUrl();
    }

    @Override
    protected DataSource newDataSource() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(PostgresServer.SUPERUSER);
        pool.setMaximumPoolSize(10);
        return pool;
    }
}
