package io.clusterplatform.provisioner.server.jobs;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs queued jobs in this server process. One poller thread, every {@code poll-interval} and at
 * once when a job is queued in this process or a handler ends ({@link #wake}): notices
 * cancel requests and jobs it lost, renews its leases (every third of the lease), takes back jobs
 * whose worker died, and claims jobs of the kinds it has handlers for while one of its {@code
 * workers} threads is free. Handlers run on those threads.
 *
 * <p>Its owner id (host/pid/random) is new for every process, so a restarted server never mistakes
 * the jobs of its previous life for its own: they come back when their lease expires. A job of a
 * kind no handler here knows stays queued (another server may know it) and the server log says so.
 *
 * <p>Stopping claims nothing more, waits up to {@code shutdown-grace} for running handlers, then
 * hands the jobs still running back to the queue. Handler threads are never interrupted (an
 * interrupt can close the embedded database's files under it); they are daemon threads.
 */
public class JobWorker implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers;
    private final JobSettings settings;
    private final Clock clock;
    private final String owner;
    private final Map<Long, RunningJob> running = new ConcurrentHashMap<>();
    private final Set<String> warnedKinds = new HashSet<>();

    private ScheduledExecutorService poller;
    private ExecutorService executor;
    private volatile boolean started;
    private volatile boolean stopping;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final Runnable wake = this::wake;
    private Instant lastRenewal = Instant.MIN;
    private Instant lastUnhandledCheck = Instant.MIN;

    public JobWorker(JobQueue queue, Collection<JobHandler> handlers, JobSettings settings, Clock clock, String owner) {
        this.queue = queue;
        this.handlers = byKind(handlers);
        this.settings = settings;
        this.clock = clock;
        this.owner = owner;
    }

    /** A new owner id for this process: {@code host/pid/random}. */
    public static String newOwnerId() {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return hostName() + "/" + ProcessHandle.current().pid() + "/"
                + HexFormat.of().formatHex(random);
    }

    public String owner() {
        return owner;
    }

    /** The kinds this worker runs. */
    public Set<String> kinds() {
        return handlers.keySet();
    }

    /** The ids of the jobs whose handlers run here now. */
    public Set<Long> runningJobs() {
        return Set.copyOf(running.keySet());
    }

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        stopping = false;
        executor = Executors.newFixedThreadPool(
                settings.workers(),
                Thread.ofPlatform().name("job-worker-", 1).daemon(true).factory());
        poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("job-poller").daemon(true).factory());
        poller.scheduleWithFixedDelay(this::poll, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        started = true;
        queue.whenQueued(wake);
        log.info(
                "Job worker {} started: {} at once, kinds {}",
                owner,
                settings.workers(),
                handlers.isEmpty() ? "(none yet)" : handlers.keySet());
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (!started) {
                return;
            }
            started = false;
            stopping = true;
        }
        queue.noLongerWhenQueued(wake);
        poller.shutdown();
        awaitQuietly(poller, settings.pollInterval().plus(Duration.ofSeconds(10)));
        executor.shutdown();
        if (!awaitQuietly(executor, settings.shutdownGrace())) {
            for (RunningJob run : running.values()) {
                run.lose("its server is stopping");
                try {
                    queue.release(run.jobId(), owner, "its server stopped before the job finished");
                    log.info("Handed job {} ({}) back to the queue: the server is stopping", run.jobId(), run.kind());
                } catch (RuntimeException e) {
                    log.warn(
                            "Could not hand job {} back to the queue; it runs again when its lease expires: {}",
                            run.jobId(),
                            e.getMessage());
                }
            }
        }
        log.info("Job worker {} stopped", owner);
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /**
     * Polls now, on the poller's thread, instead of at the next {@code poll-interval}: a job queued
     * in this process or a worker thread that became free is taken at once. Wakes that come while
     * one is waiting make one poll.
     */
    void wake() {
        if (!started || stopping || !wakeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            poller.execute(() -> {
                wakeQueued.set(false);
                poll();
            });
        } catch (RejectedExecutionException stopped) {
            wakeQueued.set(false);
        }
    }

    /** One round of the poller (tests in this package call it to drive the worker step by step). */
    void poll() {
        if (stopping) {
            return;
        }
        try {
            watchRunning();
            renewLeasesWhenDue();
            for (Job recovered : queue.recoverExpiredLeases()) {
                log.warn(
                        "Took back job {} ({}) whose worker stopped renewing its lease: now {}",
                        recovered.id(),
                        recovered.kind(),
                        recovered.status().wireName());
            }
            claimWhileFree();
            warnAboutUnhandledKindsWhenDue();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
            log.warn("Job worker {} could not poll the queue (will try again): {}", owner, e.toString());
        }
    }

    /** Cancel requests reach the handlers; jobs this worker lost stop reaching the database. */
    private void watchRunning() {
        if (running.isEmpty()) {
            return;
        }
        List<RunningJob> snapshot = List.copyOf(running.values());
        Map<Long, Boolean> held = queue.held(owner);
        for (RunningJob run : snapshot) {
            Boolean cancel = held.get(run.jobId());
            if (cancel == null) {
                run.lose("the job is no longer held by " + owner);
            } else if (cancel && !run.wasCancelRequested()) {
                log.info("Job {} ({}) was asked to cancel", run.jobId(), run.kind());
                run.cancelRequested();
            }
        }
    }

    private void renewLeasesWhenDue() {
        Instant now = clock.instant();
        if (running.isEmpty() || now.isBefore(lastRenewal.plus(settings.lease().dividedBy(3)))) {
            return;
        }
        queue.renewLeases(owner);
        lastRenewal = now;
    }

    private void claimWhileFree() {
        while (!stopping && running.size() < settings.workers()) {
            Optional<Job> claimed = queue.claim(owner, handlers.keySet());
            if (claimed.isEmpty()) {
                return;
            }
            Job job = claimed.get();
            RunningJob run = new RunningJob(job, queue, owner);
            running.put(job.id(), run);
            try {
                executor.execute(() -> execute(run));
            } catch (RuntimeException e) {
                running.remove(job.id());
                queue.release(job.id(), owner, "its worker could not start it: " + e.getMessage());
                return;
            }
        }
    }

    private void execute(RunningJob run) {
        JobHandler handler = handlers.get(run.kind());
        Throwable failure = null;
        try {
            log.info(
                    "Running job {} ({}, attempt {} of {})", run.jobId(), run.kind(), run.attempt(), run.maxAttempts());
            handler.run(run);
        } catch (Throwable e) {
            failure = e;
        }
        try {
            record(run, failure);
        } finally {
            running.remove(run.jobId());
            wake(); // a thread is free: take the next queued job now
        }
        if (failure instanceof VirtualMachineError error) {
            throw error;
        }
    }

    private void record(RunningJob run, Throwable failure) {
        if (run.isLost()) {
            log.warn(
                    "Job {} ({}) ended here after this worker lost it ({}); its outcome is discarded",
                    run.jobId(),
                    run.kind(),
                    run.lostBecause());
            return;
        }
        try {
            Job after;
            if (failure == null) {
                after = queue.complete(run.jobId(), owner);
            } else {
                if (failure instanceof JobFailedException && failure.getCause() == null) {
                    log.warn(
                            "Job {} ({}) attempt {} of {} failed: {}",
                            run.jobId(),
                            run.kind(),
                            run.attempt(),
                            run.maxAttempts(),
                            failure.getMessage());
                } else if (!(failure instanceof JobCancelledException)) {
                    log.warn(
                            "Job {} ({}) attempt {} of {} failed",
                            run.jobId(),
                            run.kind(),
                            run.attempt(),
                            run.maxAttempts(),
                            failure);
                }
                after = queue.fail(run.jobId(), owner, describe(failure), retryable(failure));
            }
            log.info(
                    "Job {} ({}) is {}", run.jobId(), run.kind(), after.status().wireName());
        } catch (JobNotHeldException e) {
            log.warn(
                    "Job {} ({}) was taken from this worker before it finished; its outcome is discarded: {}",
                    run.jobId(),
                    run.kind(),
                    e.getMessage());
        } catch (RuntimeException e) {
            log.error(
                    "Could not record the outcome of job {} ({}); it runs again when its lease expires",
                    run.jobId(),
                    run.kind(),
                    e);
        }
    }

    private void warnAboutUnhandledKindsWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(lastUnhandledCheck.plus(settings.lease()))) {
            return;
        }
        lastUnhandledCheck = now;
        Map<String, Long> waiting = queue.queuedKindsOtherThan(handlers.keySet());
        warnedKinds.retainAll(waiting.keySet());
        waiting.forEach((kind, count) -> {
            if (warnedKinds.add(kind)) {
                log.warn(
                        "{} queued job(s) of kind '{}' wait for a server that can run them: this one has no handler"
                                + " for that kind (it runs {}); they stay queued",
                        count,
                        kind,
                        handlers.keySet());
            }
        });
    }

    static String describe(Throwable failure) {
        if (failure instanceof JobFailedException || failure instanceof JobCancelledException) {
            String message = failure.getMessage();
            Throwable cause = failure.getCause();
            if (cause != null && message != null && message.equals(cause.getMessage())) {
                // A handler that wraps a problem in its own words ("'url' answered HTTP 404") says it once.
                cause = cause.getCause();
            }
            return cause == null ? message : message + ": " + describe(cause);
        }
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    static boolean retryable(Throwable failure) {
        if (failure instanceof JobFailedException failed) {
            return failed.retryable();
        }
        return !(failure instanceof JobCancelledException) && !(failure instanceof Error);
    }

    private static Map<String, JobHandler> byKind(Collection<JobHandler> handlers) {
        Map<String, JobHandler> byKind = new LinkedHashMap<>();
        for (JobHandler handler : handlers) {
            JobHandler other = byKind.putIfAbsent(handler.kind(), handler);
            if (other != null) {
                throw new IllegalStateException(
                        "two job handlers for kind '" + handler.kind() + "': " + other + " and " + handler);
            }
        }
        return Map.copyOf(byKind);
    }

    private static boolean awaitQuietly(ExecutorService executor, Duration timeout) {
        try {
            return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown-host";
            }
        }
        return host;
    }
}
