package io.clusterplatform.provisioner.server.http;

import io.clusterplatform.provisioner.server.storage.ReplicaSignals;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long polls when something they wait for changed. One made with a topic of {@link
 * ReplicaSignals} also wakes the polls of every other replica (on PostgreSQL, within milliseconds of
 * the commit); one without wakes this server's only. Long polls also look at the database at least
 * every second, so a lost wake-up only delays them.
 */
public class ChangeSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReplicaSignals replicas;
    private final String topic;
    private long generation;

    /** Wakes this server's polls only. */
    public ChangeSignal() {
        this.replicas = null;
        this.topic = null;
    }

    /** Wakes the polls of every replica: {@link #signal()} announces {@code topic}, and hears it. */
    public ChangeSignal(ReplicaSignals replicas, String topic) {
        this.replicas = replicas;
        this.topic = topic;
        replicas.on(topic, detail -> wakeHere());
    }

    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the polls of this server and, with a topic, of the other replicas. */
    public void signal() {
        wakeHere();
        if (replicas != null) {
            replicas.announce(topic, "");
        }
    }

    /** Wakes the polls of this server only. */
    public void wakeHere() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The longest a poll should wait for a signal before it looks at the database itself: a lost or
     * missing wake-up (another replica's change, without a topic) delays it by no more.
     */
    public Duration recheck() {
        return replicas == null ? Duration.ofSeconds(1) : replicas.recheck();
    }

    /** Waits until a signal after {@code seen}, or {@code timeout}. */
    public void awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (generation == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }
}
