package io.clusterplatform.provisioner.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: a real server, reachable only on loopback, that leaves nothing behind. */
class PostgresServerTest {

    @Test
    void runsOnLoopbackWithOwnDatabasesAndLeavesNothingBehindWhenClosed() throws Exception {
        PostgresServer server = PostgresServer.start();
        Path directory = server.directory();
        ProcessHandle postmaster;
        try {
            postmaster = server.postmaster();
            assertThat(postmaster.isAlive()).isTrue();
            if (new UnixSystem().getUid() == 0) {
                assertThat(postmaster.info().user())
                        .as("PostgreSQL refuses root")
                        .contains("postgres");
                assertThat(Files.getOwner(directory.resolve("data")).getName()).isEqualTo("postgres");
            }
            assertThat(directory.resolve("socket/.s.PGSQL." + server.port())).exists();

            String first = server.createDatabase("First Test");
            String second = server.createDatabase("First Test");
            assertThat(first).isNotEqualTo(second).matches("t\\d+_first_test");
            try (Connection connection = connect(server, first);
                    Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(single(statement, "SHOW unix_socket_directories"))
                        .isEqualTo(directory.resolve("socket").toString());
                assertThat(single(statement, "SHOW server_encoding")).isEqualTo("UTF8");
                assertThat(single(statement, "SELECT current_database()")).isEqualTo(first);
                statement.execute("CREATE TABLE only_in_first (id INT)");
            }
            try (Connection connection = connect(server, second);
                    Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'only_in_first'"))
                        .isEqualTo("0");
            }
            server.dropDatabase(first);
            assertThatThrownBy(() -> connect(server, first).close()).isInstanceOf(SQLException.class);
        } finally {
            server.close();
        }

        assertThat(postmaster.isAlive()).isFalse();
        assertThat(directory).doesNotExist();
    }

    @Test
    void failsWithWhatToInstallWhenPostgresqlIsMissing(@TempDir Path emptyInstallRoot) {
        assertThatThrownBy(() -> PostgresServer.findBinaries(emptyInstallRoot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("install the postgresql package")
                .hasMessageContaining("scripts/run-tests.sh");
    }

    private static Connection connect(PostgresServer server, String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), PostgresServer.SUPERUSER, "");
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
