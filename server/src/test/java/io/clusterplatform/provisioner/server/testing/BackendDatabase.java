package io.clusterplatform.provisioner.server.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh, empty database for one test class on one {@link Backend}, and the data directory a
 * server on it uses (the H2 files live there; with PostgreSQL only logs and the token file do).
 * Closing deletes both. Servers started on the same instance one after the other see the same data.
 */
public final class BackendDatabase implements AutoCloseable {
    private final Backend backend;
    private final ThrowawayDirectory dataDir;
    private final PostgresServer postgres;
    private final String databaseName;

    private BackendDatabase(Backend backend, ThrowawayDirectory dataDir, PostgresServer postgres, String databaseName) {
        this.backend = backend;
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.databaseName = databaseName;
    }

    /** The embedded database in a new temporary data directory. */
    public static BackendDatabase h2() {
        return new BackendDatabase(Backend.H2, ThrowawayDirectory.create("provisioner-h2-"), null, null);
    }

    /** A new database on {@code server}, named after {@code hint}. */
    public static BackendDatabase postgres(PostgresServer server, String hint) {
        ThrowawayDirectory dataDir = ThrowawayDirectory.create("provisioner-pgdata-");
        try {
            return new BackendDatabase(Backend.POSTGRESQL, dataDir, server, server.createDatabase(hint));
        } catch (RuntimeException e) {
            dataDir.close();
            throw e;
        }
    }

    public Backend backend() {
        return backend;
    }

    public Path dataDir() {
        return dataDir.path();
    }

    /** The JDBC URL of this database, for tests that build their own connection pool. */
    public String jdbcUrl() {
        return backend == Backend.POSTGRESQL
                ? postgres.jdbcUrl(databaseName)
                : io.clusterplatform.provisioner.server.config.DatabaseConfig.embeddedUrl(dataDir());
    }

    /** The user {@link #jdbcUrl()} connects as (no password): the embedded database's or PostgreSQL's superuser. */
    public String jdbcUser() {
        return backend == Backend.POSTGRESQL ? PostgresServer.SUPERUSER : "sa";
    }

    /**
     * The server settings that select this database, as {@code provisioner server} gets them; given
     * on the command line so that they win over application.yml and the environment.
     */
    public List<String> serverArguments() {
        List<String> arguments = new ArrayList<>();
        arguments.add("--provisioner.data-dir=" + dataDir());
        if (backend == Backend.POSTGRESQL) {
            arguments.add("--provisioner.database-url=" + postgres.jdbcUrl(databaseName));
            arguments.add("--provisioner.database-user=" + PostgresServer.SUPERUSER);
        } else {
            arguments.add("--provisioner.database-url=");
        }
        return arguments;
    }

    @Override
    public void close() {
        try {
            if (postgres != null) {
                postgres.dropDatabase(databaseName);
            }
        } finally {
            dataDir.close();
        }
    }

    @Override
    public String toString() {
        return backend + (databaseName == null ? " in " + dataDir() : " database " + databaseName);
    }
}
