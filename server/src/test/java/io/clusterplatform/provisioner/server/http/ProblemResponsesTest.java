package io.clusterplatform.provisioner.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets application/problem+json with a message a person can act on, and stores nothing. */
class ProblemResponsesTest extends ServerIntegrationTest {

    private void assertProblem(Api.Response response, int status, String detailContains) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).contains(detailContains);
    }

    private long countMatching(String tag) {
        return api.asOperator()
                .get("/api/mainscripts?search=" + tag)
                .json()
                .get("total")
                .asLong();
    }

    @Test
    void malformedJsonSaysWhere() {
        String tag = UUID.randomUUID().toString();
        assertProblem(
                api.asOperator().post("/api/mainscripts", "{\"text\": \"" + tag + "\""),
                400,
                "the body is not valid JSON (line 1");
        assertThat(countMatching(tag)).isZero();
    }

    @Test
    void wrongTypeNamesTheFieldAndTheType() {
        assertProblem(
                api.asOperator().post("/api/mainscripts", Json.body(Map.of("text", 42))),
                400,
                "'text' must be a string");
        assertProblem(
                api.asOperator().post("/api/mainscripts", Json.body(Map.of("text", List.of("a")))),
                400,
                "'text' must be a string");
        assertProblem(
                api.post(
                        "/api/localnodes",
                        Json.body(Map.of("ip", "192.0.2.1", "artifactId", "a", "pingable", "maybe"))),
                400,
                "'pingable' must be true or false");
    }

    @Test
    void missingFieldIsNamed() {
        Api.Response response = api.asOperator().post("/api/kickstarts", Json.body(Map.of("name", "no text")));
        assertProblem(response, 400, "'text' is required");
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("text");
    }

    @Test
    void missingBodyIsExplained() {
        assertProblem(
                api.asOperator()
                        .send(api.asOperator()
                                .builder("/api/mainscripts")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.noBody())),
                400,
                "the request needs a JSON body");
    }

    @Test
    void unknownFieldListsTheKnownOnes() {
        String tag = UUID.randomUUID().toString();
        assertProblem(
                api.asOperator().post("/api/mainscripts", "{\"txet\":\"" + tag + "\"}"),
                400,
                "unknown field 'txet'; known fields: name, text");
        assertThat(countMatching(tag)).isZero();
    }

    @Test
    void trailingCommaIsAcceptedAsInTheOriginal() {
        Api.Response response = api.asOperator().post("/api/mainscripts", "{\"text\":\"#!ipxe\",\n}");
        assertThat(response.status()).isEqualTo(201);
    }

    @Test
    void unknownIdIsNotFound() {
        assertProblem(api.get("/api/mainscripts/987654321"), 404, "mainscript 987654321 does not exist");
        assertProblem(api.asOperator().get("/api/localnodes/987654321"), 404, "localnode 987654321 does not exist");
        assertProblem(
                api.asOperator().put("/api/kickstarts/987654321", Json.body(Map.of("text", "x"))),
                404,
                "kickstart 987654321 does not exist");
    }

    @Test
    void nonNumericIdIsABadRequest() {
        assertProblem(api.get("/api/mainscripts/one"), 400, "'id' must be a whole number, got 'one'");
    }

    @Test
    void bodyOverTheLimitIs413AndStoresNothing() {
        String tag = UUID.randomUUID().toString();
        String big = Json.body(Map.of("text", tag + "x".repeat(1024 * 1024 + 10)));
        assertProblem(api.asOperator().post("/api/mainscripts", big), 413, "larger than 1048576 bytes");
        assertThat(countMatching(tag)).isZero();
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        String big = Json.body(Map.of("text", "y".repeat(1024 * 1024 + 10)));
        Api.Response response = api.asOperator()
                .send(api.asOperator()
                        .builder("/api/mainscripts")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(big.getBytes()))));
        assertProblem(response, 413, "larger than");
    }

    @Test
    void badListParametersAreExplained() {
        assertProblem(
                api.asOperator().get("/api/mainscripts?pageSize=1000"), 400, "pageSize must be between 1 and 100");
        assertProblem(api.asOperator().get("/api/mainscripts?page=0"), 400, "page must be 1 or more");
        assertProblem(
                api.asOperator().get("/api/mainscripts?sort=password"),
                400,
                "sort names unknown field 'password'; known fields: createdAt, id, name, text, updatedAt");
        assertProblem(
                api.asOperator().get("/api/localnodes?searchFields=secret&search=x"),
                400,
                "searchFields names unknown field 'secret'");
        assertProblem(api.asOperator().get("/api/mainscripts?page=two"), 400, "'page' must be a whole number");
    }

    /** Every list that takes {@code sort}, from the OpenAPI document, so that a new list is checked too. */
    private List<String> sortedLists() {
        List<String> lists = new ArrayList<>();
        api.get("/v3/api-docs").json().get("paths").properties().forEach(path -> {
            var get = path.getValue().get("get");
            if (get != null && get.has("parameters")) {
                get.get("parameters").forEach(parameter -> {
                    if (parameter.get("name").asText().equals("sort")) {
                        lists.add(path.getKey());
                    }
                });
            }
        });
        return lists;
    }

    @Test
    void listParametersThatNameNoFieldAreExplainedOnEveryList() {
        String network = "lists-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.asOperator()
                        .post("/api/mesh/networks", "{\"networkId\":\"" + network + "\"}")
                        .status())
                .isEqualTo(201);
        List<String> lists = sortedLists();
        assertThat(lists).contains("/api/mainscripts", "/api/localnodes", "/api/mesh/networks/{networkId}/nodes");
        for (String list : lists) {
            String path = list.replace("{networkId}", network);
            assertProblem(api.asOperator().get(path + "?sort=,"), 400, "sort names no field");
            assertProblem(api.asOperator().get(path + "?sort=-,+"), 400, "sort names unknown field ''");
            assertProblem(api.asOperator().get(path + "?search=x&searchFields=,"), 400, "searchFields names no field");
            assertThat(api.asOperator().get(path + "?sort=%20").status())
                    .as(path)
                    .isEqualTo(200);
        }
    }

    @Test
    void listNumbersAreConvertedAsRequestParameters() {
        assertProblem(
                api.asOperator().get("/api/localnodes?pageSize=ten"),
                400,
                "'pageSize' must be a whole number, got 'ten'");
        Api.Response empty = api.asOperator().get("/api/mainscripts?page=&pageSize=");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
        assertThat(empty.json().get("page").asInt()).isEqualTo(1);
        assertThat(empty.json().get("pageSize").asInt()).isEqualTo(10);
    }

    @Test
    void unknownPathIsAProblemToo() {
        Api.Response response = api.asOperator().get("/api/nothing-here");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
    }

    @Test
    void wrongMethodAndMediaTypeAreProblems() {
        Api.Response method = api.asOperator().put("/api/mainscripts", Json.body(Map.of("text", "x")));
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.isProblem()).isTrue();
        Api.Response media = api.asOperator()
                .send(api.asOperator()
                        .builder("/api/mainscripts")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("#!ipxe")));
        assertThat(media.status()).isEqualTo(415);
        assertThat(media.isProblem()).isTrue();
    }
}
