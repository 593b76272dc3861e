package io.clusterplatform.provisioner.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, refreshes the planner's statistics of a table as soon as it has grown to twice what
 * they describe, instead of waiting for autovacuum (which looks once a minute by default, and not at
 * all where an operator turned it down).
 *
 * <p>Why: PostgreSQL plans a prepared statement once (the JDBC driver prepares it on the server after
 * five uses) and keeps that plan until the table's statistics change. A plan made while a table was
 * empty, the state of a new installation or of a site whose nodes were all deleted, scans the table
 * instead of using its index, and keeps scanning it as thousands of hosts register within seconds
 * (a boot storm): the registrations measured 0.22 of pgbench from an empty table and 0.65 once
 * statistics described 10,000 nodes (docs/BENCHMARKS.md, "Boot data path"). An {@code ANALYZE}
 * makes every such plan, the server's and the foreign-key checks' inside PostgreSQL, be made again.
 *
 * <p>Every second, one query of {@code pg_stat_user_tables} finds the tables of the current schema
 * with at least {@value #MIN_CHANGES} changed rows since their last analysis, and at least as many as
 * the rows they had then; each is analyzed with {@code SKIP_LOCKED} (another replica analyzing it
 * already is enough). So a growing table is analyzed when it doubles: a few times while it grows to
 * 100,000 rows, never on a table whose size stays put. On the embedded database (H2, whose planner
 * keeps no such plans) this does nothing.
 */
@Component
public class PlannerStatistics {
    /** Fewer changed rows than this never make a table's statistics stale enough to matter. */
    static final long MIN_CHANGES = 1_000;

    private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    /** Whether the database is PostgreSQL: asked once, at the first refresh. */
    private Boolean postgres;

    public PlannerStatistics(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Scheduled(initialDelay = 1, fixedDelay = 1, timeUnit = TimeUnit.SECONDS)
    void scheduled() {
        try {
            if (!postgres()) {
                return;
            }
            List<String> analyzed = refresh();
            if (!analyzed.isEmpty()) {
                log.debug("Analyzed {}: they have grown to twice what their statistics described", analyzed);
            }
        } catch (RuntimeException | SQLException e) {
            log.warn("Could not refresh the planner's statistics; trying again in a second: {}", e.toString());
        }
    }

    private boolean postgres() throws SQLException {
        if (postgres == null) {
            try (Connection connection = dataSource.getConnection()) {
                postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
            }
        }
        return postgres;
    }

    /**
     * Analyzes the tables of the current schema whose statistics describe fewer than half their rows
     * (see the class); answers their names. PostgreSQL only.
     */
    public List<String> refresh() {
        List<String> stale = jdbc.sql("SELECT quote_ident(s.relname) FROM pg_stat_user_tables s"
                        + " JOIN pg_class c ON c.oid = s.relid"
                        + " WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze >= ?"
                        + " AND s.n_mod_since_analyze >= GREATEST(c.reltuples, 0) ORDER BY s.relname")
                .param(MIN_CHANGES)
                .query(String.class)
                .list();
        for (String table : stale) {
            jdbc.sql("ANALYZE (SKIP_LOCKED) " + table).update(); // a name quoted by PostgreSQL itself
        }
        return stale;
    }
}
