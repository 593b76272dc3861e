package io.clusterplatform.provisioner.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.UseBackend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The failure {@link PlannerStatistics} exists for, on a real PostgreSQL: a registration's lookup
 * planned while the nodes' table was empty keeps scanning it after thousands of nodes arrived, until
 * the table is analyzed; and the refresh analyzes exactly the tables that grew.
 */
@UseBackend(Backend.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPlannerStatisticsTest {
    private BackendDatabase database;
    private HikariDataSource pool;
    private PlannerStatistics statistics;

    @BeforeAll
    void migrate(BackendDatabase database) {
        this.database = database;
        pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(database.jdbcUser());
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        statistics = new PlannerStatistics(pool);
    }

    @AfterAll
    void close() {
        pool.close();
    }

    @Test
    void aPlanMadeOnAnEmptyTableUsesTheIndexOnceTheTableHasGrownAndBeenRefreshed() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("ANALYZE localnodes"); // the statistics say: empty, as after a VACUUM of no nodes
            s.execute("PREPARE lookup(text, text) AS SELECT id FROM localnodes WHERE ip = $1 AND artifact_id = $2");
            s.execute("SET plan_cache_mode = force_generic_plan"); // what the plan cache settles on
            assertThat(plan(s)).as("planned on the empty table").contains("Seq Scan");

            insertNodes(5_000); // from another connection, closed: its statistics reach the server
            assertThat(plan(s)).as("the same plan, 5,000 nodes later").contains("Seq Scan");

            List<String> analyzed = refreshUntilItAnalyzes("localnodes");
            assertThat(analyzed).as("tables that did not grow are left alone").doesNotContain("distributors");
            assertThat(plan(s)).as("planned again after the refresh").contains("Index Scan");
        }
        assertThat(statistics.refresh())
                .as("right after its analysis the table is not analyzed again")
                .doesNotContain("localnodes");
    }

    @Test
    void fewChangedRowsDoNotMakeATableStale() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE few_rows (id bigint PRIMARY KEY)");
            s.execute("ANALYZE few_rows");
            s.execute("INSERT INTO few_rows SELECT g FROM generate_series(1, " + (PlannerStatistics.MIN_CHANGES - 1)
                    + ") g");
        } // the connection's end makes its statistics visible
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            waitForChangesSeen(s, "few_rows", PlannerStatistics.MIN_CHANGES - 1);
            assertThat(statistics.refresh()).doesNotContain("few_rows");
            s.execute("INSERT INTO few_rows VALUES (0)");
        }
        assertThat(refreshUntilItAnalyzes("few_rows")).contains("few_rows");
    }

    private List<String> refreshUntilItAnalyzes(String table) throws InterruptedException {
        long deadline = System.nanoTime() + Timeouts.request().toNanos();
        List<String> all = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            List<String> analyzed = statistics.refresh();
            all.addAll(analyzed);
            if (analyzed.contains(table)) {
                return all;
            }
            Thread.sleep(50); // PostgreSQL's statistics of another connection's changes: seen within a second
        }
        throw new AssertionError(table + " was never analyzed; analyzed meanwhile: " + all);
    }

    private void waitForChangesSeen(Statement s, String table, long rows) throws Exception {
        long deadline = System.nanoTime() + Timeouts.request().toNanos();
        while (System.nanoTime() < deadline) {
            s.getConnection().setAutoCommit(true); // each query a transaction: a fresh statistics snapshot
            try (ResultSet rs = s.executeQuery(
                    "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
                if (rs.next() && rs.getLong(1) >= rows) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("PostgreSQL never counted " + rows + " changes of " + table);
    }

    private void insertNodes(int count) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO localnodes (ip, artifact_id, pingable, first_seen, last_seen)"
                    + " SELECT concat('10.1.', g / 256, '.', g % 256), 'planner-test', true, now(), now()"
                    + " FROM generate_series(1, " + count + ") g");
        }
    }

    private static String plan(Statement s) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE lookup('10.1.2.3', 'planner-test')")) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.jdbcUser());
        return DriverManager.getConnection(database.jdbcUrl(), properties);
    }
}
