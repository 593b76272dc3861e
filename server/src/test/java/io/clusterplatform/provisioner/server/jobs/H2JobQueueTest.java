package io.clusterplatform.provisioner.server.jobs;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import javax.sql.DataSource;

/** The queue's contract on the embedded database, in the PostgreSQL mode the server runs it in. */
class H2JobQueueTest extends JobQueueContractTest {
    private final String url = "jdbc:h2:mem:jobs-" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

    @Override
    protected DataSource newDataSource() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername("sa");
        pool.setMaximumPoolSize(10);
        return pool;
    }
}
