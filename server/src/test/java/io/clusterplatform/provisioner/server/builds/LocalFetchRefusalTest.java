package io.clusterplatform.provisioner.server.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Builds do not download from loopback, link-local or this server's own addresses: an ISO fragment
 * URL cannot reach the services behind the server's firewall or cloud metadata, and the refusal
 * reads the same whether something listens there or not.
 */
class LocalFetchRefusalTest extends ServerIntegrationTest {

    private JsonNode failedIso(String url) {
        long id = Builds.queue(api, "isos", Map.of("label", "LOCAL", "script", "#!ipxe\nshell", "ipxeUefiUrl", url))
                .get("id")
                .asLong();
        return Awaitility.await("iso " + id + " to fail")
                .atMost(Timeouts.scaled(Duration.ofMinutes(1)))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> api.asOperator().get("/api/isos/" + id).json(),
                        build -> !build.get("status").asText().matches("queued|working"));
    }

    @Test
    void loopbackAndLinkLocalFragmentsAreRefusedBeforeAnythingIsSent() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer listening = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listening.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        listening.start();
        try {
            String open = "http://127.0.0.1:" + listening.getAddress().getPort() + "/ipxe.efi";
            String closed = "http://127.0.0.1:1/ipxe.efi";
            JsonNode toOpen = failedIso(open);
            JsonNode toClosed = failedIso(closed);

            assertThat(toOpen.get("status").asText()).isEqualTo("failed");
            assertThat(toOpen.get("error").asText())
                    .isEqualTo("'ipxeUefiUrl' (" + open + ") names 127.0.0.1, a loopback address: builds do not"
                            + " download from loopback, link-local or this server's own addresses (an operator can"
                            + " allow it with PROVISIONER_FETCH_ALLOW_LOCAL_ADDRESSES=true)");
            assertThat(toClosed.get("error").asText().replace(closed, open))
                    .as("an open and a closed port read the same")
                    .isEqualTo(toOpen.get("error").asText());
            assertThat(requests).as("nothing was sent to the listening port").hasValue(0);
        } finally {
            listening.stop(0);
        }
        assertThat(failedIso("http://169.254.169.254/latest/meta-data/")
                        .get("error")
                        .asText())
                .contains("names 169.254.169.254, a link-local address");
        assertThat(failedIso("http://[::1]:8080/ipxe.efi").get("error").asText())
                .contains("a loopback address");
    }

    @Test
    void everyKindOfLocalAddressIsNamed() throws Exception {
        Set<InetAddress> own = Set.of(InetAddress.getByName("192.0.2.44"));
        assertThat(FragmentFetcher.localKind(InetAddress.getByName("127.7.7.7"), own))
                .contains("a loopback address");
        assertThat(FragmentFetcher.localKind(InetAddress.getByName("::ffff:127.0.0.1"), own))
                .contains("a loopback address");
        assertThat(FragmentFetcher.localKind(InetAddress.getByName("fe80::1"), own))
                .contains("a link-local address");
        assertThat(FragmentFetcher.localKind(InetAddress.getByName("0.0.0.0"), own))
                .contains("the unspecified address");
        assertThat(FragmentFetcher.localKind(InetAddress.getByName("192.0.2.44"), own))
                .contains("an address of this server");
        assertThat(FragmentFetcher.localKind(InetAddress.getByName("192.0.2.45"), own))
                .isEqualTo(Optional.empty());
        assertThat(FragmentFetcher.localKind(InetAddress.getByName("10.1.2.3"), own))
                .as("LAN servers hold fragments too")
                .isEmpty();
    }
}
