package io.clusterplatform.provisioner.server.localnodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit for registrations: many hosts registering at once (a boot storm) share one
 * transaction, so the database commits once for up to {@value #BATCH} of them instead of once each.
 * A caller waits until its registration is committed and gets its own answer (the node, created or
 * not): an acknowledged registration is as durable as one committed alone.
 *
 * <p>One writer thread takes what has gathered while the previous batch was written (no waiting
 * for more: a lone registration is written at once). A node another server inserted meanwhile is
 * updated by the batch; when a batch fails as a whole (a node deleted meanwhile), each of its
 * registrations is written again on its own, so one bad registration fails only its own request. Before the writer starts and after
 * it stops, registrations are written directly by the caller. A batch is written in the order of
 * (artifactId, ip), so the batches of two servers on one database that share nodes lock them in the
 * same order and cannot deadlock. (Four writers instead of one measured no faster on PostgreSQL:
 * docs/BENCHMARKS.md, "Boot data path".)
 */
@Component
public class LocalnodeRegistrar implements SmartLifecycle {
    static final int BATCH = 200;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(LocalnodeRegistrar.class);

    private record Pending(
            LocalnodeRegistration registration,
            boolean verified,
            CompletableFuture<LocalnodeStore.Registered> answer) {}

    /** The order in which a batch's nodes are written, and so locked: by (artifactId, ip). */
    private static final Comparator<Pending> LOCK_ORDER = Comparator.comparing(
                    (Pending p) -> p.registration().artifactId(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(p -> p.registration().ip(), Comparator.nullsFirst(Comparator.naturalOrder()));

    private final LocalnodeStore store;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile Thread writer;
    private volatile boolean stopping;

    LocalnodeRegistrar(LocalnodeStore store) {
        this.store = store;
    }

    /** Registers a validated, verified registration and returns once it is committed. */
    public LocalnodeStore.Registered register(LocalnodeRegistration registration) {
        return register(registration, true);
    }

    /** Registers a validated registration, verified or not (see {@link RegistrationClaims}), once committed. */
    public LocalnodeStore.Registered register(LocalnodeRegistration registration, boolean verified) {
        if (writer == null || stopping) {
            return store.register(registration, verified);
        }
        Pending pending = new Pending(registration, verified, new CompletableFuture<>());
        queue.add(pending);
        if (writer == null) {
            drainDirectly(); // stopped between the check and the add: nobody else will write it
        }
        try {
            return pending.answer().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException e) {
                throw e;
            }
            throw new IllegalStateException("registration failed", failed.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the registration was written", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the database did not store the registration within " + WAIT, e);
        }
    }

    @Override
    public synchronized void start() {
        if (writer != null) {
            return;
        }
        stopping = false;
        writer = Thread.ofPlatform().name("localnode-registrar").daemon(true).start(this::run);
    }

    @Override
    public void stop() {
        Thread thread = writer;
        if (thread == null) {
            return;
        }
        stopping = true;
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer = null;
        drainDirectly();
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
        List<Pending> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                log.error("Localnode registrar: unexpected failure", e);
                batch.forEach(pending -> pending.answer().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void drainDirectly() {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending pending : left) {
            writeAlone(pending);
        }
    }

    private void write(List<Pending> batch) {
        if (batch.size() == 1) {
            writeAlone(batch.getFirst());
            return;
        }
        List<Pending> ordered = new ArrayList<>(batch);
        ordered.sort(LOCK_ORDER);
        List<LocalnodeStore.Registered> answers;
        try {
            answers = store.registerAll(ordered.stream()
                    .map(p -> new LocalnodeStore.Claim(p.registration(), p.verified()))
                    .toList());
        } catch (RuntimeException batchFailed) {
            ordered.forEach(this::writeAlone);
            return;
        }
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).answer().complete(answers.get(i));
        }
    }

    private void writeAlone(Pending pending) {
        try {
            pending.answer().complete(store.register(pending.registration(), pending.verified()));
        } catch (RuntimeException e) {
            pending.answer().completeExceptionally(e);
        }
    }
}
