package io.clusterplatform.provisioner.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.StandaloneServer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;

/**
 * The real server with a handler bean of its own: the worker finds it by kind, runs a job through
 * its milestones, and an operator follows them through {@code GET /api/jobs/{id}}.
 */
class JobWorkerEndToEndTest {
    private static final String KIND = "e2e-stepped-build";
    private static StandaloneServer server;

    /** Extra beans for this test's server only (not annotated, so component scanning never finds it). */
    static class SteppedJobs {
        @Bean
        SteppedHandler steppedHandler() {
            return new SteppedHandler();
        }
    }

    /** Reports a milestone, then waits until the test lets it go on. */
    static class SteppedHandler implements JobHandler {
        final Semaphore steps = new Semaphore(0);

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public void run(JobContext context) throws Exception {
            context.progress(20, "fetching the bootloader");
            step();
            context.log("wrote EFI/BOOT/BOOTX64.EFI");
            context.progress(70, "writing the image");
            step();
        }

        private void step() throws InterruptedException {
            if (!steps.tryAcquire(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never let the handler go on");
            }
        }
    }

    @BeforeAll
    static void startServer() {
        server = StandaloneServer.startFresh(
                "--spring.main.sources=" + SteppedJobs.class.getName(), "--provisioner.jobs.poll-interval=50ms");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private JsonNode awaitJob(Api api, long id, String status, int progress) {
        await().atMost(Timeouts.request()).untilAsserted(() -> {
            JsonNode job = api.get("/api/jobs/" + id).json();
            assertThat(job.get("status").asText()).isEqualTo(status);
            assertThat(job.get("progress").asInt()).isEqualTo(progress);
        });
        return api.get("/api/jobs/" + id).json();
    }

    @Test
    void aHandlerBeanRunsAJobToDoneWithVisibleMilestones() {
        Api api = server.api().asOperator();
        SteppedHandler handler = server.bean(SteppedHandler.class);
        assertThat(server.bean(JobWorker.class).kinds()).contains(KIND);

        long id = server.bean(JobQueue.class).enqueue(KIND, 3L, 2).id();

        JsonNode fetching = awaitJob(api, id, "working", 20);
        assertThat(fetching.get("progressMessage").asText()).isEqualTo("fetching the bootloader");
        assertThat(fetching.get("attempts").asInt()).isEqualTo(1);
        handler.steps.release();

        JsonNode writing = awaitJob(api, id, "working", 70);
        assertThat(writing.get("progressMessage").asText()).isEqualTo("writing the image");
        handler.steps.release();

        JsonNode done = awaitJob(api, id, "done", 100);
        assertThat(done.get("subjectId").asLong()).isEqualTo(3L);
        assertThat(done.get("finishedAt").asText()).isNotBlank();
        assertThat(api.get("/api/jobs/" + id + "/log").body()).contains("wrote EFI/BOOT/BOOTX64.EFI", "done");
    }
}
