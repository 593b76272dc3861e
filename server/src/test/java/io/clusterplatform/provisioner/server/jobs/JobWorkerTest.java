package io.clusterplatform.provisioner.server.jobs;

import static io.clusterplatform.provisioner.core.jobs.JobStatus.CANCELLED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.DONE;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.FAILED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.QUEUED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.WORKING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.clusterplatform.provisioner.core.jobs.JobStatus;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.testing.MutableClock;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Backend;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.UseBackend;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The worker on the embedded database, built by hand: no Spring context, real threads. */
@ExtendWith(OutputCaptureExtension.class)
@UseBackend(Backend.H2)
class JobWorkerTest {
    /** Fast polling and retries; a lease long enough never to expire by itself during a test. */
    private static final JobSettings FAST = new JobSettings(
            Duration.ofMillis(20),
            Duration.ofSeconds(60),
            2,
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            Duration.ofMillis(200));

    private static HikariDataSource database;

    private final List<JobWorker> workers = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();
    private JobQueue queue;
    private String kind;

    @BeforeAll
    static void createDatabase(BackendDatabase backend) {
        database = new HikariDataSource();
        database.setJdbcUrl(backend.jdbcUrl());
        database.setUsername(backend.jdbcUser());
        Flyway.configure()
                .dataSource(database)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void freshKind() {
        queue = queue(Clock.systemUTC());
        kind = "test-" + UUID.randomUUID();
    }

    @AfterEach
    void stopWorkers() {
        gates.forEach(gate -> gate.countDown());
        workers.forEach(JobWorker::stop);
    }

    private static JobQueue queue(Clock clock) {
        return new JobQueue(JdbcClient.create(database), new DataSourceTransactionManager(database), clock, FAST);
    }

    private JobWorker start(JobSettings settings, Clock clock, String owner, JobHandler... handlers) {
        JobWorker worker = new JobWorker(queue(clock), List.of(handlers), settings, clock, owner);
        workers.add(worker);
        worker.start();
        return worker;
    }

    private JobWorker start(JobHandler... handlers) {
        return start(FAST, Clock.systemUTC(), JobWorker.newOwnerId(), handlers);
    }

    private CountDownLatch gate() {
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        return gate;
    }

    private static void pass(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("timed out waiting for the test");
        }
    }

    private Job awaitStatus(long id, JobStatus status) {
        await().atMost(Timeouts.request())
                .untilAsserted(() -> assertThat(queue.get(id).status()).isEqualTo(status));
        return queue.get(id);
    }

    @Test
    void takesAJobQueuedInItsProcessAtOnceNotAtTheNextPoll() {
        JobSettings hourly = new JobSettings(
                Duration.ofHours(1),
                Duration.ofHours(3),
                1,
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofMillis(200));
        JobWorker worker = new JobWorker(
                queue, List.of(JobHandler.of(kind, context -> {})), hourly, Clock.systemUTC(), JobWorker.newOwnerId());
        workers.add(worker);
        worker.start();
        // Polls come once an hour: whatever is taken after the start's own poll was taken by a wake.
        Job first = queue.enqueue(kind, 1L, 1);
        Job second = queue.enqueue(kind, 2L, 1);
        awaitStatus(first.id(), JobStatus.DONE);
        // One worker thread: the second waits for the first and is taken when the thread becomes free.
        awaitStatus(second.id(), JobStatus.DONE);

        Job inTransaction = new org.springframework.transaction.support.TransactionTemplate(
                        new DataSourceTransactionManager(database))
                .execute(status -> queue.enqueue(kind, 3L, 1));
        awaitStatus(inTransaction.id(), JobStatus.DONE);
    }

    @Test
    void runsAJobToDoneThroughItsMilestones() {
        start(JobHandler.of(kind, context -> {
            context.progress(10, "fetching ipxe.efi");
            context.log("fetched 1 MiB");
            context.progress(60, "writing the image");
        }));

        Job job = queue.enqueue(kind, 5L, 3);

        Job done = awaitStatus(job.id(), DONE);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.owner()).isNull();
        assertThat(queue.log(job.id())).contains("attempt 1 of 3 started", "fetched 1 MiB", "done");
        assertThat(queue.events(job.id())).extracting(JobEvent::to).containsExactly(QUEUED, WORKING, DONE);
    }

    @Test
    void handlersSeeTheirJob() {
        AtomicInteger seen = new AtomicInteger();
        Job job = queue.enqueue(kind, 77L, 4);
        start(JobHandler.of(kind, context -> {
            assertThat(context.jobId()).isEqualTo(job.id());
            assertThat(context.kind()).isEqualTo(kind);
            assertThat(context.subjectId()).isEqualTo(77L);
            assertThat(context.attempt()).isEqualTo(1);
            assertThat(context.maxAttempts()).isEqualTo(4);
            assertThat(context.isCancelled()).isFalse();
            seen.incrementAndGet();
        }));

        awaitStatus(job.id(), DONE);
        assertThat(seen).hasValue(1);
    }

    @Test
    void retriesAFailingHandlerWithBackoffAndFailsAfterMaxAttempts() {
        AtomicInteger runs = new AtomicInteger();
        start(JobHandler.of(kind, context -> {
            context.log("try " + runs.incrementAndGet());
            throw new IOException("mirror unreachable");
        }));

        Job job = queue.enqueue(kind, null, 3);

        Job failed = awaitStatus(job.id(), FAILED);
        assertThat(runs).hasValue(3);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.error()).isEqualTo("IOException: mirror unreachable");
        assertThat(queue.log(job.id())).contains("try 1", "try 2", "try 3", "no attempts left");
    }

    @Test
    void aFailureInTheWordsOfItsCauseIsDescribedOnce() {
        ProblemException problem = ProblemException.invalid("'url' answered HTTP 404");
        IOException io = new IOException("connection reset");

        assertThat(JobWorker.describe(JobFailedException.permanent(problem.getMessage(), problem)))
                .isEqualTo("'url' answered HTTP 404");
        assertThat(JobWorker.describe(JobFailedException.retryable("download failed", io)))
                .isEqualTo("download failed: IOException: connection reset");
    }

    @Test
    void aTransientFailureThatGoesAwayEndsDone() {
        AtomicInteger runs = new AtomicInteger();
        start(JobHandler.of(kind, context -> {
            if (runs.incrementAndGet() == 1) {
                throw JobFailedException.retryable("the mirror is busy");
            }
        }));

        Job job = queue.enqueue(kind, null, 3);

        Job done = awaitStatus(job.id(), DONE);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.error()).isNull();
        assertThat(queue.log(job.id())).contains("attempt 1 of 3 failed: the mirror is busy");
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        start(JobHandler.of(kind, context -> {
            runs.incrementAndGet();
            throw JobFailedException.permanent("mainscript 9 does not exist");
        }));

        Job job = queue.enqueue(kind, null, 5);

        Job failed = awaitStatus(job.id(), FAILED);
        assertThat(runs).hasValue(1);
        assertThat(failed.error()).isEqualTo("mainscript 9 does not exist");
    }

    @Test
    void cancellingAWorkingJobStopsItsHandler() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sawCancel = new AtomicBoolean();
        start(JobHandler.of(kind, context -> {
            started.countDown();
            await().atMost(Timeouts.request()).until(context::isCancelled);
            sawCancel.set(true);
            context.log("stopping on request");
            context.progress(50, "never reached");
        }));
        Job job = queue.enqueue(kind, null, 3);
        pass(started);

        assertThat(queue.cancel(job.id()).cancelRequested()).isTrue();

        Job cancelled = awaitStatus(job.id(), CANCELLED);
        assertThat(sawCancel).isTrue();
        assertThat(cancelled.attempts()).as("a cancelled job is not retried").isEqualTo(1);
        assertThat(cancelled.progress()).isLessThan(50);
        assertThat(queue.log(job.id())).contains("stopping on request");
    }

    @Test
    void aJobOfAKindWithoutHandlerStaysQueued(CapturedOutput output) {
        String unknown = kind + "-nobody-runs-this";
        Job orphan = queue.enqueue(unknown, null, 1);
        Job runnable = queue.enqueue(kind, null, 1);
        start(JobHandler.of(kind, context -> {}));

        awaitStatus(runnable.id(), DONE);
        Job stillQueued = queue.get(orphan.id());
        assertThat(stillQueued.status()).isEqualTo(QUEUED);
        assertThat(stillQueued.attempts()).isZero();
        await().atMost(Timeouts.request())
                .untilAsserted(() -> assertThat(output.getAll())
                        .contains("queued job(s) of kind '" + unknown + "' wait for a server that can run them"));
        queue.cancel(orphan.id());
    }

    @Test
    void runsNoMoreJobsAtOnceThanItHasWorkers() {
        CountDownLatch gate = gate();
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        JobWorker worker = start(JobHandler.of(kind, context -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                pass(gate);
            } finally {
                now.decrementAndGet();
            }
        }));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(queue.enqueue(kind, null, 1).id());
        }

        await().atMost(Timeouts.request()).until(() -> worker.runningJobs().size() == 2);
        assertThat(ids.stream().map(id -> queue.get(id).status()).filter(s -> s == QUEUED))
                .hasSize(3);
        gate.countDown();

        ids.forEach(id -> awaitStatus(id, DONE));
        assertThat(most).hasValue(2);
    }

    @Test
    void aWorkerThatLostItsJobCannotFinishIt() throws Exception {
        // Worker A's clock stands still (a stalled process: it never renews its lease); worker B
        // lives after A's lease expired, takes the job back and runs it.
        MutableClock stalled = MutableClock.atSomeFixedTime();
        MutableClock later = MutableClock.atSomeFixedTime();
        later.advance(FAST.lease().plusSeconds(1));
        CountDownLatch aStarted = new CountDownLatch(1);
        CountDownLatch aMayGoOn = gate();
        AtomicBoolean aWasStopped = new AtomicBoolean();
        Job job = queue(stalled).enqueue(kind, null, 3);
        start(FAST, stalled, "worker-a", JobHandler.of(kind, context -> {
            aStarted.countDown();
            pass(aMayGoOn);
            try {
                context.progress(90, "A thinks it is nearly done");
            } catch (JobCancelledException e) {
                aWasStopped.set(true);
                throw e;
            }
        }));
        pass(aStarted);

        start(FAST, later, "worker-b", JobHandler.of(kind, context -> context.log("B ran it")));

        Job done = awaitStatus(job.id(), DONE);
        aMayGoOn.countDown();
        await().atMost(Timeouts.request()).untilTrue(aWasStopped);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(queue.events(job.id()))
                .extracting(JobEvent::owner)
                .containsExactly(null, "worker-a", "worker-a", "worker-b", "worker-b");
        assertThat(queue.get(job.id()).status()).isEqualTo(DONE);
        assertThat(queue.get(job.id()).progressMessage()).isEqualTo("done");
        assertThat(queue.log(job.id())).contains("B ran it").doesNotContain("nearly done");
    }

    @Test
    void stoppingHandsRunningJobsBackToTheQueue() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = gate();
        JobWorker worker = start(JobHandler.of(kind, context -> {
            started.countDown();
            pass(gate);
        }));
        Job job = queue.enqueue(kind, null, 1);
        pass(started);

        worker.stop();

        Job handedBack = queue.get(job.id());
        assertThat(handedBack.status()).isEqualTo(QUEUED);
        assertThat(handedBack.attempts())
                .as("the interrupted attempt does not count")
                .isZero();
        assertThat(queue.log(job.id())).contains("handed back to the queue");
        gate.countDown();
        start(JobHandler.of(kind, context -> {}));
        assertThat(awaitStatus(job.id(), DONE).attempts()).isEqualTo(1);
    }

    @Test
    void twoHandlersForOneKindAreRefused() {
        assertThatThrownBy(() -> start(JobHandler.of(kind, context -> {}), JobHandler.of(kind, context -> {})))
                .hasMessageContaining("two job handlers for kind '" + kind + "'");
    }

    @Test
    void eachProcessHasItsOwnOwnerId() {
        String owner = JobWorker.newOwnerId();
        assertThat(owner).matches(".+/" + ProcessHandle.current().pid() + "/[0-9a-f]{8}");
        assertThat(JobWorker.newOwnerId()).isNotEqualTo(owner);
    }
}
