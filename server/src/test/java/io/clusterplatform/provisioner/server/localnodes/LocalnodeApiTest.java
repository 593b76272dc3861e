package io.clusterplatform.provisioner.server.localnodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocalnodeApiTest extends ServerIntegrationTest {

    private static String site() {
        return "site-" + UUID.randomUUID() + ".example";
    }

    @Test
    void registersWithTheOriginalsQueryStringWithoutAToken() {
        String site = site();
        Api.Response created = api.post("/api/localnodes?ip=198.51.100.7&artifactId=" + site + "&pingable=true");
        assertThat(created.status()).isEqualTo(201);
        JsonNode node = created.json();
        assertThat(node.get("ip").asText()).isEqualTo("198.51.100.7");
        assertThat(node.get("artifactId").asText()).isEqualTo(site);
        assertThat(node.get("pingable").asBoolean()).isTrue();
        assertThat(node.get("firstSeen").asText())
                .isEqualTo(node.get("lastSeen").asText());
    }

    @Test
    void registeringAgainUpdatesAndNeverDuplicates() {
        String site = site();
        long id = api.post("/api/localnodes?ip=198.51.100.8&artifactId=" + site + "&pingable=true")
                .json()
                .get("id")
                .asLong();
        Api.Response again = api.post(
                "/api/localnodes",
                Json.body(Map.of(
                        "ip",
                        "198.51.100.8",
                        "artifactId",
                        site,
                        "pingable",
                        false,
                        "mac",
                        "52-54-00-AA-BB-CC",
                        "hostname",
                        "node8")));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asLong()).isEqualTo(id);
        assertThat(again.json().get("pingable").asBoolean()).isFalse();
        assertThat(again.json().get("mac").asText()).isEqualTo("52:54:00:aa:bb:cc");
        assertThat(again.json().get("hostname").asText()).isEqualTo("node8");

        JsonNode list = api.asOperator()
                .get("/api/localnodes?search=" + site + "&searchFields=artifactId")
                .json();
        assertThat(list.get("total").asLong()).isEqualTo(1);
    }

    @Test
    void sameIpOnAnotherSiteIsAnotherNode() {
        long a = api.post("/api/localnodes?ip=198.51.100.9&artifactId=" + site())
                .json()
                .get("id")
                .asLong();
        long b = api.post("/api/localnodes?ip=198.51.100.9&artifactId=" + site())
                .json()
                .get("id")
                .asLong();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void acceptsIpv6() {
        Api.Response created = api.post("/api/localnodes?ip=2001:DB8::17&artifactId=" + site());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("ip").asText()).isEqualTo("2001:db8::17");
    }

    /** Without an ip (or with an empty one) the node is the request's source address; a header cannot say otherwise. */
    @Test
    void registersTheSourceAddressWhenTheIpIsLeftOut() {
        String site = site();
        Api.Response leftOut = api.post("/api/localnodes?artifactId=" + site + "&pingable=true");
        assertThat(leftOut.status()).as(leftOut.toString()).isEqualTo(201);
        assertThat(leftOut.json().get("ip").asText()).isEqualTo("127.0.0.1");

        Api.Response empty = api.post("/api/localnodes?ip=&artifactId=" + site);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().get("id").asLong())
                .isEqualTo(leftOut.json().get("id").asLong());

        Api.Response json = api.post("/api/localnodes", Json.body(Map.of("artifactId", site)));
        assertThat(json.status()).as(json.toString()).isEqualTo(200);
        assertThat(json.json().get("ip").asText()).isEqualTo("127.0.0.1");

        Api.Response spoofed =
                api.withHeader("X-Forwarded-For", "203.0.113.66").post("/api/localnodes?artifactId=" + site());
        assertThat(spoofed.json().get("ip").asText())
                .as("no trusted proxy is configured: X-Forwarded-For is not believed")
                .isEqualTo("127.0.0.1");
    }

    @Test
    void refusesBadRegistrationsWithClearErrors() {
        assertThat(api.post("/api/localnodes?ip=ine&artifactId=a")
                        .json()
                        .get("detail")
                        .asText())
                .as("the original postbootscript's regex sends ip=ine on busybox and GNU grep: still refused")
                .contains("'ip' must be an IPv4 or IPv6 address, got 'ine'");
        assertThat(api.post("/api/localnodes?ip=example.com&artifactId=a")
                        .json()
                        .get("detail")
                        .asText())
                .contains("'ip' must be an IPv4 or IPv6 address, got 'example.com'");
        assertThat(api.post("/api/localnodes?ip=300.1.1.1&artifactId=a").status())
                .isEqualTo(400);
        assertThat(api.post("/api/localnodes?ip=192.0.2.1").json().get("detail").asText())
                .contains("'artifactId' is required");
        assertThat(api.post("/api/localnodes?ip=192.0.2.1&artifactId=a%20b")
                        .json()
                        .get("detail")
                        .asText())
                .contains("'artifactId' must be");
        assertThat(api.post("/api/localnodes?ip=192.0.2.1&artifactId=a&mac=nope")
                        .json()
                        .get("detail")
                        .asText())
                .contains("'mac' must look like");
        assertThat(api.post("/api/localnodes?ip=192.0.2.1&artifactId=a&pingable=maybe")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void readingAndDeletingNeedAToken() {
        long id = api.post("/api/localnodes?ip=198.51.100.10&artifactId=" + site())
                .json()
                .get("id")
                .asLong();
        assertThat(api.get("/api/localnodes/" + id).status()).isEqualTo(401);
        assertThat(api.delete("/api/localnodes/" + id).status()).isEqualTo(401);
        assertThat(api.asOperator()
                        .get("/api/localnodes/" + id)
                        .json()
                        .get("ip")
                        .asText())
                .isEqualTo("198.51.100.10");
        assertThat(api.asOperator().delete("/api/localnodes/" + id).status()).isEqualTo(204);
        assertThat(api.asOperator().get("/api/localnodes/" + id).status()).isEqualTo(404);
    }

    @Test
    void registersWithAFormPostAsBusyboxWgetSendsIt() {
        String site = site();
        Api.Response empty =
                api.send(api.builder("/api/localnodes?ip=198.51.100.11&artifactId=" + site + "&pingable=true")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("")));
        assertThat(empty.status()).as(empty.toString()).isEqualTo(201);
        Api.Response fields = api.send(api.builder("/api/localnodes")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("ip=198.51.100.12&artifactId=" + site)));
        assertThat(fields.status()).as(fields.toString()).isEqualTo(201);
        assertThat(fields.json().get("ip").asText()).isEqualTo("198.51.100.12");
    }
}
