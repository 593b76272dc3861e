package io.clusterplatform.provisioner.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.DashboardLogins;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Dashboard sessions are in the database (Spring Session JDBC): a login made on one server is valid
 * on another on the same database, here the next server on the same data directory after the first
 * one stopped (as after a replica's death); a logout ends it everywhere.
 */
class DashboardSessionsTest {
    @Test
    void aLoginOutlivesTheServerItWasMadeOnAndNoSecretIsInTheSessionTable() {
        try (ThrowawayDirectory data = ThrowawayDirectory.create("provisioner-sessions-")) {
            String cookie;
            StandaloneServer first = StandaloneServer.start(data.path());
            try {
                cookie = DashboardLogins.logIn(first.api());
                assertThat(first.api().withHeader("Cookie", cookie).get("/ui/").status())
                        .isEqualTo(200);
                JdbcClient jdbc = JdbcClient.create(first.bean(javax.sql.DataSource.class));
                assertThat(jdbc.sql("SELECT COUNT(*) FROM SPRING_SESSION")
                                .query(Long.class)
                                .single())
                        .isPositive();
                for (byte[] bytes : jdbc.sql("SELECT ATTRIBUTE_BYTES FROM SPRING_SESSION_ATTRIBUTES")
                        .query(byte[].class)
                        .list()) {
                    assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                            .as("the operator's token is never in a session")
                            .doesNotContain(ServerIntegrationTest.OPERATOR_TOKEN);
                }
            } finally {
                first.close();
            }
            StandaloneServer second = StandaloneServer.start(data.path());
            try {
                Api withCookie = second.api().withHeader("Cookie", cookie);
                assertThat(withCookie.get("/ui/").status())
                        .as("the session made on the first server")
                        .isEqualTo(200);
                Api.Response page = withCookie.get("/ui/");
                Api.Response out = withCookie.send(withCookie
                        .builder("/ui/logout")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + DashboardLogins.csrf(page.body()))));
                assertThat(out.status()).isEqualTo(302);
                assertThat(withCookie.get("/ui/").status())
                        .as("logged out: to the login page")
                        .isEqualTo(302);
            } finally {
                second.close();
            }
        }
    }
}
