package io.clusterplatform.provisioner.server.jobs;

import static io.clusterplatform.provisioner.core.jobs.JobStatus.CANCELLED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.DONE;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.FAILED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.QUEUED;
import static io.clusterplatform.provisioner.core.jobs.JobStatus.WORKING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.clusterplatform.provisioner.core.jobs.IllegalJobTransitionException;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.testing.MutableClock;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.BackendDatabase;
import io.clusterplatform.provisioner.server.testing.UseBackend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * What the job queue promises, on any database it runs on (JobRunr's StorageProviderTest pattern):
 * a subclass per database only names its {@link UseBackend backend}, as the store contracts do. The
 * queue is tested without a server: two connection pools on the class's database stand for two
 * server processes. Each test uses its own job kind, so tests do not see each other's jobs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JobQueueContractTest {
    protected static final JobSettings SETTINGS = new JobSettings(
            Duration.ofMillis(500),
            Duration.ofSeconds(60),
            2,
            Duration.ofSeconds(10),
            Duration.ofMinutes(10),
            Duration.ofSeconds(10));
    private static final String A = "host-a/100/aaaa";
    private static final String B = "host-b/200/bbbb";

    private BackendDatabase database;
    private DataSource processOne;
    private DataSource processTwo;
    private final List<DataSource> pools = new ArrayList<>();

    protected MutableClock clock;
    protected JobQueue queue;
    protected String kind;

    @BeforeAll
    void database(BackendDatabase database) {
        this.database = database;
    }

    /**
     * A new connection pool to the class's database. Called twice per test class: the two pools stand
     * for two server processes sharing one database. Closed after the class.
     */
    private DataSource newDataSource() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(database.jdbcUser());
        pool.setMaximumPoolSize(10);
        return pool;
    }

    /** Connects on first use, after @BeforeAll. */
    private void connectOnce() {
        if (processOne != null) {
            return;
        }
        processOne = pool();
        Flyway.configure()
                .dataSource(processOne)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        processTwo = pool();
    }

    @AfterAll
    void disconnect() throws Exception {
        for (DataSource pool : pools) {
            if (pool instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @BeforeEach
    void freshQueue() {
        connectOnce();
        clock = MutableClock.atSomeFixedTime();
        queue = queueOn(processOne, clock);
        kind = "test-" + UUID.randomUUID();
    }

    protected JobQueue queueOn(DataSource dataSource, Clock clock) {
        return new JobQueue(
                JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource), clock, SETTINGS);
    }

    /** The same database through the other process's pool. */
    protected JobQueue secondProcess(Clock clock) {
        return queueOn(processTwo, clock);
    }

    private DataSource pool() {
        DataSource pool = newDataSource();
        pools.add(pool);
        return pool;
    }

    private Job claimOne(String owner) {
        return queue.claim(owner, Set.of(kind)).orElseThrow(() -> new AssertionError("nothing to claim"));
    }

    // --- enqueue and claim

    @Test
    void aNewJobIsQueuedWithNothingDone() {
        Job job = queue.enqueue(kind, 42L, 3);

        assertThat(job.status()).isEqualTo(QUEUED);
        assertThat(job.kind()).isEqualTo(kind);
        assertThat(job.subjectId()).isEqualTo(42L);
        assertThat(job.progress()).isZero();
        assertThat(job.attempts()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(3);
        assertThat(job.owner()).isNull();
        assertThat(job.createdAt()).isEqualTo(clock.instant());
        assertThat(job.runAfter()).isEqualTo(clock.instant());
        assertThat(job.finishedAt()).isNull();
        assertThat(queue.events(job.id())).singleElement().satisfies(event -> {
            assertThat(event.from()).isNull();
            assertThat(event.to()).isEqualTo(QUEUED);
        });
        assertThat(queue.enqueue(kind, null, 1).subjectId()).isNull();
    }

    @Test
    void refusesJobsWithoutAKindOrAttempts() {
        assertThatThrownBy(() -> queue.enqueue(" ", null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.enqueue(kind, null, 0)).hasMessageContaining("max attempts");
    }

    @Test
    void claimTakesTheOldestQueuedJobAndHoldsItWithALease() {
        Job first = queue.enqueue(kind, null, 3);
        clock.advance(Duration.ofSeconds(1));
        Job second = queue.enqueue(kind, null, 3);

        Job claimed = claimOne(A);

        assertThat(claimed.id()).isEqualTo(first.id());
        assertThat(claimed.status()).isEqualTo(WORKING);
        assertThat(claimed.owner()).isEqualTo(A);
        assertThat(claimed.leaseUntil()).isEqualTo(clock.instant().plus(SETTINGS.lease()));
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.version()).isGreaterThan(first.version());
        assertThat(claimed.isHeldBy(A)).isTrue();
        assertThat(claimOne(A).id()).isEqualTo(second.id());
        assertThat(queue.claim(A, Set.of(kind))).isEmpty();
    }

    @Test
    void claimOnlyTakesKindsTheWorkerCanRun() {
        Job other = queue.enqueue(kind + "-other", null, 1);
        Job mine = queue.enqueue(kind, null, 1);

        assertThat(claimOne(A).id()).isEqualTo(mine.id());
        assertThat(queue.claim(A, Set.of(kind))).isEmpty();
        assertThat(queue.claim(A, Set.of())).isEmpty();
        assertThat(queue.get(other.id()).status()).isEqualTo(QUEUED);
        assertThat(queue.queuedKindsOtherThan(Set.of(kind))).containsEntry(kind + "-other", 1L);
    }

    @Test
    void eachJobIsClaimedExactlyOnceByConcurrentClaimersInTwoProcesses() throws Exception {
        int jobs = 120;
        Set<Long> enqueued = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < jobs; i++) {
            enqueued.add(queue.enqueue(kind, null, 1).id());
        }
        JobQueue one = queue;
        JobQueue two = secondProcess(clock);
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> claimers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            JobQueue process = t % 2 == 0 ? one : two;
            String owner = (t % 2 == 0 ? "process-one/" : "process-two/") + t;
            claimers.add(pool.submit(() -> {
                start.await();
                while (true) {
                    var job = process.claim(owner, Set.of(kind));
                    if (job.isEmpty()) {
                        if (claimed.size() >= jobs
                                || queue.queuedKindsOtherThan(Set.of()).getOrDefault(kind, 0L) == 0) {
                            return null;
                        }
                        continue;
                    }
                    assertThat(job.get().owner()).isEqualTo(owner);
                    claimed.add(job.get().id());
                }
            }));
        }
        start.countDown();
        for (Future<?> claimer : claimers) {
            claimer.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
        }
        pool.shutdown();

        assertThat(claimed).hasSize(jobs).doesNotHaveDuplicates();
        assertThat(Set.copyOf(claimed)).isEqualTo(enqueued);
        for (long id : enqueued) {
            assertThat(queue.get(id).attempts()).isEqualTo(1);
            assertThat(queue.events(id)).extracting(JobEvent::to).containsExactly(QUEUED, WORKING);
        }
    }

    // --- leases

    @Test
    void aHeartbeatRenewsTheLeasesOfTheOwnersJobs() {
        queue.enqueue(kind, null, 1);
        Job job = claimOne(A);
        clock.advance(Duration.ofSeconds(45));

        assertThat(queue.renewLeases(A)).isGreaterThanOrEqualTo(1);
        clock.advance(Duration.ofSeconds(45));

        assertThat(queue.recoverExpiredLeases()).extracting(Job::id).doesNotContain(job.id());
        assertThat(queue.get(job.id()).leaseUntil())
                .isEqualTo(clock.instant().minusSeconds(45).plus(SETTINGS.lease()));
        assertThat(queue.held(A)).containsEntry(job.id(), false);
    }

    @Test
    void anExpiredLeaseIsTakenUpByAnotherOwnerAndTheOldOwnerIsRefused() {
        queue.enqueue(kind, null, 3);
        Job job = claimOne(A);
        queue.progress(job.id(), A, 30, "halfway there");
        clock.advance(SETTINGS.lease().plusSeconds(1));

        JobQueue other = secondProcess(clock);
        assertThat(other.recoverExpiredLeases()).extracting(Job::id).contains(job.id());
        Job requeued = other.get(job.id());
        assertThat(requeued.status()).isEqualTo(QUEUED);
        assertThat(requeued.owner()).isNull();
        assertThat(requeued.progress()).isZero();
        assertThat(requeued.progressMessage()).contains("stopped renewing its lease");

        Job retaken = other.claim(B, Set.of(kind)).orElseThrow();
        assertThat(retaken.id()).isEqualTo(job.id());
        assertThat(retaken.attempts()).isEqualTo(2);

        assertThatThrownBy(() -> queue.complete(job.id(), A))
                .isInstanceOf(JobNotHeldException.class)
                .hasMessageContaining("held by " + B);
        assertThatThrownBy(() -> queue.progress(job.id(), A, 90, "late")).isInstanceOf(JobNotHeldException.class);
        assertThatThrownBy(() -> queue.appendLog(job.id(), A, "late")).isInstanceOf(JobNotHeldException.class);
        assertThatThrownBy(() -> queue.fail(job.id(), A, "late", true)).isInstanceOf(JobNotHeldException.class);
        assertThat(queue.renewLeases(A)).isZero();
        assertThat(queue.held(A)).doesNotContainKey(job.id());

        assertThat(other.complete(job.id(), B).status()).isEqualTo(DONE);
        assertThat(queue.log(job.id())).contains("was lost").doesNotContain("late");
    }

    @Test
    void aJobWhoseWorkerDiesOnItsLastAttemptFails() {
        queue.enqueue(kind, null, 1);
        Job job = claimOne(A);
        clock.advance(SETTINGS.lease().plusSeconds(1));

        queue.recoverExpiredLeases();

        Job failed = queue.get(job.id());
        assertThat(failed.status()).isEqualTo(FAILED);
        assertThat(failed.error()).contains("attempt 1 of 1 was lost", A);
        assertThat(failed.finishedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aLeaseThatHasNotExpiredIsLeftAlone() {
        queue.enqueue(kind, null, 1);
        Job job = claimOne(A);
        clock.advance(SETTINGS.lease().minusSeconds(1));

        assertThat(queue.recoverExpiredLeases()).extracting(Job::id).doesNotContain(job.id());
        assertThat(queue.get(job.id()).isHeldBy(A)).isTrue();
    }

    @Test
    void whenTheOwnerFinishesWhileItsLeaseIsTakenBackOnlyOneWins() throws Exception {
        JobQueue other = secondProcess(clock);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 30; i++) {
            queue.enqueue(kind, null, 3);
            Job job = claimOne(A);
            clock.advance(SETTINGS.lease().plusSeconds(1));
            CountDownLatch start = new CountDownLatch(1);
            Future<Boolean> completed = pool.submit(() -> {
                start.await();
                try {
                    queue.complete(job.id(), A);
                    return true;
                } catch (JobNotHeldException e) {
                    return false;
                }
            });
            Future<Boolean> recovered = pool.submit(() -> {
                start.await();
                return other.recoverExpiredLeases().stream().anyMatch(j -> j.id() == job.id());
            });
            start.countDown();
            boolean done = completed.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
            boolean requeued = recovered.get(Timeouts.request().toMillis(), TimeUnit.MILLISECONDS);

            assertThat(done).as("exactly one of complete and recovery wins").isNotEqualTo(requeued);
            assertThat(queue.get(job.id()).status()).isEqualTo(done ? DONE : QUEUED);
            if (requeued) {
                queue.cancel(job.id());
            }
        }
        pool.shutdown();
    }

    // --- progress and log

    @Test
    void progressOnlyMovesForward() {
        queue.enqueue(kind, null, 1);
        Job job = claimOne(A);

        queue.progress(job.id(), A, 40, "downloading");
        queue.progress(job.id(), A, 20, "going back");
        assertThat(queue.get(job.id()).progress()).isEqualTo(40);
        assertThat(queue.get(job.id()).progressMessage()).isEqualTo("downloading");

        queue.progress(job.id(), A, 40, "still downloading");
        queue.progress(job.id(), A, 75, "writing the image");
        assertThat(queue.get(job.id()).progress()).isEqualTo(75);
        assertThat(queue.get(job.id()).progressMessage()).isEqualTo("writing the image");

        assertThatThrownBy(() -> queue.progress(job.id(), A, 101, "too far"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.progress(job.id(), A, -1, "too low"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLogKeepsTimestampedLinesAndOnlyItsLast64KiCharacters() {
        queue.enqueue(kind, null, 1);
        Job job = claimOne(A);

        queue.appendLog(job.id(), A, "fetching ipxe.efi\n");
        assertThat(queue.log(job.id())).contains(clock.instant() + " fetching ipxe.efi\n");

        String chunk = "x".repeat(1000);
        for (int i = 0; i < 70; i++) {
            queue.appendLog(job.id(), A, i + " " + chunk);
        }
        queue.appendLog(job.id(), A, "the last line");

        String log = queue.log(job.id());
        assertThat(log).hasSize(JobStore.LOG_LIMIT).endsWith("the last line\n").doesNotContain("fetching ipxe.efi");
        assertThat(log).contains(" 69 x");
    }

    // --- finishing

    @Test
    void completingMakesTheJobDoneWithFullProgress() {
        queue.enqueue(kind, 7L, 1);
        Job job = claimOne(A);
        queue.progress(job.id(), A, 60, "almost");
        clock.advance(Duration.ofSeconds(5));

        Job done = queue.complete(job.id(), A);

        assertThat(done.status()).isEqualTo(DONE);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.owner()).isNull();
        assertThat(done.leaseUntil()).isNull();
        assertThat(done.finishedAt()).isEqualTo(clock.instant());
        assertThat(queue.latestFor(kind, 7L)).get().extracting(Job::status).isEqualTo(DONE);
        assertThatThrownBy(() -> queue.complete(job.id(), A)).isInstanceOf(JobNotHeldException.class);
    }

    @Test
    void everyStatusChangeIsRecordedAsAnEvent() {
        queue.enqueue(kind, null, 2);
        Job job = claimOne(A);
        queue.fail(job.id(), A, "busy", true);
        clock.advance(Duration.ofMinutes(1));
        claimOne(B);
        queue.complete(job.id(), B);

        List<JobEvent> events = queue.events(job.id());
        assertThat(events).extracting(JobEvent::from).containsExactly(null, QUEUED, WORKING, QUEUED, WORKING);
        assertThat(events).extracting(JobEvent::to).containsExactly(QUEUED, WORKING, QUEUED, WORKING, DONE);
        assertThat(events).extracting(JobEvent::owner).containsExactly(null, A, A, B, B);
        assertThat(events.get(2).message()).contains("attempt 1 of 2 failed: busy");
    }

    @Test
    void aTransientFailureIsRetriedWithBackoffThenFailsKeepingTheErrorAndLog() {
        Job job = queue.enqueue(kind, null, 3);

        Job first = claimOne(A);
        queue.appendLog(job.id(), A, "first try");
        Job afterFirst = queue.fail(job.id(), A, "connection refused", true);
        assertThat(afterFirst.status()).isEqualTo(QUEUED);
        assertThat(afterFirst.runAfter()).isEqualTo(clock.instant().plusSeconds(10));
        assertThat(afterFirst.error()).isEqualTo("connection refused");
        assertThat(afterFirst.attempts()).isEqualTo(first.attempts());

        clock.advance(Duration.ofSeconds(9));
        assertThat(queue.claim(A, Set.of(kind))).as("not before its backoff").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(claimOne(A).attempts()).isEqualTo(2);
        queue.appendLog(job.id(), A, "second try");
        Job afterSecond = queue.fail(job.id(), A, "connection refused again", true);
        assertThat(afterSecond.runAfter())
                .as("the backoff doubles")
                .isEqualTo(clock.instant().plusSeconds(20));

        clock.advance(Duration.ofSeconds(20));
        assertThat(claimOne(A).attempts()).isEqualTo(3);
        queue.appendLog(job.id(), A, "third try");
        Job failed = queue.fail(job.id(), A, "connection refused for good", true);

        assertThat(failed.status()).isEqualTo(FAILED);
        assertThat(failed.error()).isEqualTo("connection refused for good");
        assertThat(failed.finishedAt()).isEqualTo(clock.instant());
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(queue.log(job.id()))
                .contains("first try", "second try", "third try")
                .contains("attempt 1 of 3 failed: connection refused; next attempt in 10s")
                .contains("attempt 3 of 3 failed: connection refused for good; no attempts left");
        clock.advance(Duration.ofHours(1));
        assertThat(queue.claim(A, Set.of(kind))).isEmpty();
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        Job job = queue.enqueue(kind, null, 5);
        claimOne(A);

        Job failed = queue.fail(job.id(), A, "mainscript 9 does not exist", false);

        assertThat(failed.status()).isEqualTo(FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).isEqualTo("mainscript 9 does not exist");
    }

    @Test
    void releasingHandsTheJobBackWithoutCountingTheAttempt() {
        Job job = queue.enqueue(kind, null, 1);
        claimOne(A);

        Job released = queue.release(job.id(), A, "the server is stopping");

        assertThat(released.status()).isEqualTo(QUEUED);
        assertThat(released.attempts()).isZero();
        assertThat(released.owner()).isNull();
        assertThat(claimOne(B).attempts()).isEqualTo(1);
        assertThat(queue.release(job.id(), A, "not mine").isHeldBy(B))
                .as("only the owner can release")
                .isTrue();
    }

    // --- cancel

    @Test
    void cancellingAQueuedJobCancelsItAtOnce() {
        Job job = queue.enqueue(kind, null, 1);

        Job cancelled = queue.cancel(job.id());

        assertThat(cancelled.status()).isEqualTo(CANCELLED);
        assertThat(cancelled.finishedAt()).isEqualTo(clock.instant());
        assertThat(queue.claim(A, Set.of(kind))).isEmpty();
        assertThat(queue.cancel(job.id()).status())
                .as("cancelling again changes nothing")
                .isEqualTo(CANCELLED);
    }

    @Test
    void cancellingAWorkingJobFlagsItAndTheJobEndsCancelled() {
        Job job = queue.enqueue(kind, null, 3);
        claimOne(A);

        Job flagged = queue.cancel(job.id());

        assertThat(flagged.status()).isEqualTo(WORKING);
        assertThat(flagged.cancelRequested()).isTrue();
        assertThat(queue.held(A)).containsEntry(job.id(), true);
        assertThat(queue.cancel(job.id()).cancelRequested()).isTrue();

        Job cancelled = queue.fail(job.id(), A, "stopped on request", true);
        assertThat(cancelled.status()).as("not retried").isEqualTo(CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(queue.log(job.id())).contains("cancel requested", "cancelled");
    }

    @Test
    void aCancelRequestedWhileTheHandlerFinishesStillCancels() {
        Job job = queue.enqueue(kind, null, 1);
        claimOne(A);
        queue.cancel(job.id());

        assertThat(queue.complete(job.id(), A).status()).isEqualTo(CANCELLED);
    }

    @Test
    void finishedJobsCannotBeCancelled() {
        Job job = queue.enqueue(kind, null, 1);
        claimOne(A);
        queue.complete(job.id(), A);

        assertThatThrownBy(() -> queue.cancel(job.id()))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessage("job " + job.id() + " is already done; only queued or working jobs can be cancelled");
        assertThatThrownBy(() -> queue.cancel(Long.MAX_VALUE))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    // --- the one place that changes status

    @Test
    void aStatusChangeFromAStaleReadIsNotWritten() {
        Job queued = queue.enqueue(kind, null, 1);
        claimOne(A);
        JobStore store = new JobStore(JdbcClient.create(processOne));

        boolean written = store.transition(queued.moveTo(CANCELLED), clock.instant());

        assertThat(written).isFalse();
        assertThat(queue.get(queued.id()).status()).isEqualTo(WORKING);
    }

    @Test
    void theTransitionTableIsEnforcedWhereStatusChanges() {
        Job queued = queue.enqueue(kind, null, 1);
        JobStore store = new JobStore(JdbcClient.create(processOne));

        assertThatThrownBy(() -> store.transition(queued.moveTo(DONE), clock.instant()))
                .isInstanceOf(IllegalJobTransitionException.class);
        assertThat(queue.get(queued.id()).status()).isEqualTo(QUEUED);
    }

    @Test
    void readingAMissingJobIsANotFoundProblem() {
        assertThatThrownBy(() -> queue.get(Long.MAX_VALUE)).hasMessage("job " + Long.MAX_VALUE + " does not exist");
        assertThatThrownBy(() -> queue.log(Long.MAX_VALUE)).isInstanceOf(ProblemException.class);
        assertThat(queue.find(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void timesSurviveTheDatabaseExactly() {
        clock.set(Instant.parse("2031-06-15T10:20:30.123456Z"));
        Job job = queue.enqueue(kind, null, 1);
        assertThat(queue.get(job.id()).createdAt()).isEqualTo(clock.instant());
    }
}
