package io.clusterplatform.provisioner.server.testing;

/** The databases the server runs on; every store test runs on each of them. */
public enum Backend {
    /** The default: H2 in a file under the data directory, in PostgreSQL mode. */
    H2,
    /** A real PostgreSQL server (see {@link PostgresServer}), selected by {@code provisioner.database-url}. */
    POSTGRESQL
}
