package io.clusterplatform.provisioner.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code /api/jobs} on the shared server. It has no handler for the test's job kinds, so the test
 * plays the worker itself through the queue.
 */
class JobsApiTest extends ServerIntegrationTest {
    private static final String OWNER = "jobs-api-test/1/00000000";

    @Autowired
    JobQueue queue;

    private String kind;

    @BeforeEach
    void uniqueKind() {
        kind = "api-test-" + UUID.randomUUID();
    }

    private Job claim() {
        return queue.claim(OWNER, Set.of(kind)).orElseThrow();
    }

    @Test
    void showsAJobWithItsStatusInLowerCase() {
        Job job = queue.enqueue(kind, 12L, 3);

        Api.Response response = api.asOperator().get("/api/jobs/" + job.id());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode json = response.json();
        assertThat(json.get("id").asLong()).isEqualTo(job.id());
        assertThat(json.get("kind").asText()).isEqualTo(kind);
        assertThat(json.get("subjectId").asLong()).isEqualTo(12L);
        assertThat(json.get("status").asText()).isEqualTo("queued");
        assertThat(json.get("progress").asInt()).isZero();
        assertThat(json.get("attempts").asInt()).isZero();
        assertThat(json.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(json.get("cancelRequested").asBoolean()).isFalse();
        assertThat(json.get("error").isNull()).isTrue();
        assertThat(json.get("createdAt").asText()).isNotBlank();
        assertThat(json.get("finishedAt").isNull()).isTrue();
        assertThat(json.has("owner")).as("which worker holds a job is internal").isFalse();
        assertThat(json.has("version")).isFalse();
        queue.cancel(job.id());
    }

    @Test
    void showsProgressAndThenTheOutcome() {
        Job job = queue.enqueue(kind, null, 1);
        claim();
        queue.progress(job.id(), OWNER, 40, "writing the image");

        JsonNode working = api.asOperator().get("/api/jobs/" + job.id()).json();
        assertThat(working.get("status").asText()).isEqualTo("working");
        assertThat(working.get("progress").asInt()).isEqualTo(40);
        assertThat(working.get("progressMessage").asText()).isEqualTo("writing the image");
        assertThat(working.get("attempts").asInt()).isEqualTo(1);

        queue.fail(job.id(), OWNER, "xorriso exited with 5", false);
        JsonNode failed = api.asOperator().get("/api/jobs/" + job.id()).json();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).isEqualTo("xorriso exited with 5");
        assertThat(failed.get("finishedAt").asText()).isNotBlank();
    }

    @Test
    void servesTheLogAsPlainText() {
        Job job = queue.enqueue(kind, null, 1);
        claim();
        queue.appendLog(job.id(), OWNER, "xorriso: 1 image written, ünïcode kept");

        Api.Response log = api.asOperator().get("/api/jobs/" + job.id() + "/log");

        assertThat(log.status()).isEqualTo(200);
        assertThat(log.contentType()).startsWith("text/plain").contains("UTF-8");
        assertThat(log.body()).contains("attempt 1 of 1 started on " + OWNER, "xorriso: 1 image written, ünïcode kept");
        queue.complete(job.id(), OWNER);
    }

    @Test
    void cancelsAQueuedJobAtOnce() {
        Job job = queue.enqueue(kind, null, 1);

        Api.Response cancelled = api.asOperator().post("/api/jobs/" + job.id() + "/cancel");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(api.asOperator()
                        .post("/api/jobs/" + job.id() + "/cancel")
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("cancelled");
    }

    @Test
    void asksAWorkingJobToCancelAndItEndsCancelled() {
        Job job = queue.enqueue(kind, null, 3);
        claim();

        JsonNode requested =
                api.asOperator().post("/api/jobs/" + job.id() + "/cancel").json();
        assertThat(requested.get("status").asText()).isEqualTo("working");
        assertThat(requested.get("cancelRequested").asBoolean()).isTrue();

        assertThat(queue.held(OWNER)).containsEntry(job.id(), true);
        queue.fail(job.id(), OWNER, "stopped", true);
        assertThat(api.asOperator()
                        .get("/api/jobs/" + job.id())
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("cancelled");
    }

    @Test
    void aFinishedJobCannotBeCancelled() {
        Job job = queue.enqueue(kind, null, 1);
        claim();
        queue.complete(job.id(), OWNER);

        Api.Response refused = api.asOperator().post("/api/jobs/" + job.id() + "/cancel");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("detail").asText()).contains("is already done");
    }

    @Test
    void anUnknownJobIsANotFoundProblem() {
        for (String path : new String[] {"/api/jobs/987654321", "/api/jobs/987654321/log"}) {
            Api.Response missing = api.asOperator().get(path);
            assertThat(missing.status()).as(path).isEqualTo(404);
            assertThat(missing.isProblem()).isTrue();
            assertThat(missing.json().get("detail").asText()).isEqualTo("job 987654321 does not exist");
        }
        assertThat(api.asOperator().post("/api/jobs/987654321/cancel").status()).isEqualTo(404);
        assertThat(api.asOperator().get("/api/jobs/abc").status()).isEqualTo(400);
    }

    @Test
    void jobsNeedAnOperatorToken() {
        Job job = queue.enqueue(kind, null, 1);

        assertThat(api.get("/api/jobs/" + job.id()).status()).isEqualTo(401);
        assertThat(api.get("/api/jobs/" + job.id() + "/log").status()).isEqualTo(401);
        assertThat(api.post("/api/jobs/" + job.id() + "/cancel").status()).isEqualTo(401);
        assertThat(queue.get(job.id()).status())
                .as("an anonymous cancel changes nothing")
                .isEqualTo(io.clusterplatform.provisioner.core.jobs.JobStatus.QUEUED);
        queue.cancel(job.id());
    }

    @Test
    void theOpenApiDocumentDescribesTheJobPaths() {
        JsonNode paths = api.get("/v3/api-docs").json().get("paths");
        assertThat(paths.has("/api/jobs/{id}")).isTrue();
        assertThat(paths.has("/api/jobs/{id}/log")).isTrue();
        assertThat(paths.has("/api/jobs/{id}/cancel")).isTrue();
    }
}
