package io.clusterplatform.provisioner.server.timeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes what booting hosts fetched behind their requests: {@link #offer} only puts the fetch into a
 * bounded queue and never blocks, one writer thread stores what has gathered in one batch (one
 * commit for up to {@value #BATCH} fetches). A host's repeated fetches in one batch (the same request
 * again) are stored as one row that counts them, first and last time kept: a host chain-loading in a
 * loop, or thousands of GETs of one script a second, cost one row per batch instead of one each. A request never waits for the database, so a boot storm
 * is not slowed by its own timeline.
 *
 * <p>What can be lost, and how it shows: when the queue is full (the database is far slower than the
 * hosts for a while), a fetch is not recorded and {@link #dropped()} counts it (the dashboard's
 * overview shows the count, the log says so at most once a minute). A batch that fails is stored
 * again row by row, so one bad row loses only itself, and each row that still fails is logged. On a
 * graceful stop the queue is written out before the database closes; a killed server loses the
 * fetches of its last moments (at most about {@link #LINGER} of them under load), which a timeline
 * can afford and a boot never notices.
 */
@Component
public class HostFetchWriter implements SmartLifecycle {
    static final int CAPACITY = 65_536;
    static final int BATCH = 5_000;
    /** How long the writer waits for more fetches before it writes a batch that is not full. */
    static final Duration LINGER = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(HostFetchWriter.class);
    private static final long DROP_LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final HostFetchStore store;
    private final BlockingQueue<HostFetchStore.Fetch> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_EVERY_NANOS);
    private final Object idle = new Object();
    private volatile Thread writer;
    private volatile boolean stopping;
    private long pending;

    HostFetchWriter(HostFetchStore store) {
        this.store = store;
    }

    /** Queues one fetch to be written; returns false (and counts it) when the queue is full. */
    public boolean offer(HostFetchStore.Fetch fetch) {
        if (queue.offer(fetch)) {
            return true;
        }
        long count = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last >= DROP_LOG_EVERY_NANOS && lastDropLog.compareAndSet(last, now)) {
            log.warn(
                    "Boot timeline: {} fetches not recorded since start, the database cannot keep up ({} waiting);"
                            + " hosts are served all the same",
                    count,
                    queue.size());
        }
        return false;
    }

    /** How many fetches were not recorded because the queue was full, since this server started. */
    public long dropped() {
        return dropped.get();
    }

    /** Waits until every fetch queued before this call is written (or failed to be), up to {@code timeout}. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!queue.isEmpty() || pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    @Override
    public synchronized void start() {
        if (writer != null) {
            return;
        }
        stopping = false;
        writer = Thread.ofPlatform().name("host-fetch-writer").daemon(true).start(this::run);
    }

    /** Writes out what is queued, then stops; runs before the database closes (see {@link #getPhase}). */
    @Override
    public void stop() {
        Thread thread;
        synchronized (this) {
            thread = writer;
            if (thread == null) {
                return;
            }
            stopping = true;
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer = null;
    }

    @Override
    public boolean isRunning() {
        return writer != null;
    }

    /**
     * Stops after the web server (whose lifecycles have phases {@code DEFAULT_PHASE - 1024} and
     * {@code - 2048}) has stopped taking requests, and before the database closes with the beans.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void run() {
        List<HostFetchStore.Fetch> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                HostFetchStore.Fetch first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                synchronized (idle) {
                    pending = 1;
                }
                // Gather what comes within LINGER of the first: under load one commit per batch, not
                // one per fetch or two (a commit costs H2 about the same for one row as for a hundred).
                // The writer sleeps through the linger instead of waiting on the queue, which would wake
                // it (a context switch) for every fetch; with a full batch waiting it does not linger.
                if (queue.size() < BATCH - 1 && !stopping) {
                    Thread.sleep(LINGER);
                }
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                log.warn("Boot timeline writer interrupted: {} queued fetches not recorded", queue.size());
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                log.error("Boot timeline writer: unexpected failure, {} fetches not recorded", batch.size(), e);
            } finally {
                batch.clear();
                synchronized (idle) {
                    pending = 0;
                    idle.notifyAll();
                }
            }
        }
    }

    private static String withoutQuery(String path) {
        int query = path == null ? -1 : path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /**
     * The batch with each host's repeated fetches (the same request again, {@link
     * HostFetchStore.Fetch#sameness}) as one row that counts them, in the order of their first.
     */
    static List<HostFetchStore.Fetch> coalesced(List<HostFetchStore.Fetch> batch) {
        Map<Object, HostFetchStore.Fetch> rows = new LinkedHashMap<>();
        for (HostFetchStore.Fetch fetch : batch) {
            rows.merge(fetch.sameness(), fetch, HostFetchStore.Fetch::and);
        }
        return new ArrayList<>(rows.values());
    }

    private void write(List<HostFetchStore.Fetch> batch) {
        List<HostFetchStore.Fetch> rows = coalesced(batch);
        try {
            store.recordAll(rows);
        } catch (RuntimeException batchFailed) {
            for (HostFetchStore.Fetch fetch : rows) {
                try {
                    store.recordAll(List.of(fetch));
                } catch (RuntimeException e) {
                    log.warn(
                            "Could not record {} {} from {} for its boot timeline: {}",
                            fetch.method(),
                            withoutQuery(fetch.path()),
                            fetch.clientIp(),
                            e.toString());
                }
            }
        }
    }
}
