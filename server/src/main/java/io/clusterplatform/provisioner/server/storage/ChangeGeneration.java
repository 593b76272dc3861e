package io.clusterplatform.provisioner.server.storage;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A number a store changes whenever this server writes to it: once at the write and again when the
 * writing transaction ends (committed or rolled back). Whoever keeps what it read from the store in
 * memory reads the number before reading the store, and keeps what it read only while the number
 * stays the same: a write that commits meanwhile, by this server, makes it stale at once. Writes by
 * another server on the same database do not change it, so what was read is also stale after {@link
 * #MAX_AGE}.
 */
public final class ChangeGeneration {
    /** How long what was read is kept at most, for changes made by another server on the same database. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final AtomicLong value = new AtomicLong();

    /** When something is read: taken before the read, so a change committed meanwhile makes it stale. */
    public record Stamp(long generation, long nanoTime) {}

    public Stamp stamp() {
        return new Stamp(value.get(), System.nanoTime());
    }

    /** Whether what was read under {@code stamp} may still be used: no change since, and not too old. */
    public boolean isCurrent(Stamp stamp) {
        return stamp.generation() == value.get() && System.nanoTime() - stamp.nanoTime() < MAX_AGE.toNanos();
    }

    /** Call at every write, inside its transaction if there is one. */
    public void changed() {
        value.incrementAndGet();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    value.incrementAndGet();
                }
            });
        }
    }
}
