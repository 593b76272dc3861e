package io.clusterplatform.provisioner.server.storage;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A number a store changes whenever this server writes to it: once at the write and again when the
 * writing transaction ends (committed or rolled back). Whoever keeps what it read from the store in
 * memory reads the number before reading the store, and keeps what it read only while the number
 * stays the same: a write that commits meanwhile, by this server, makes it stale at once. Writes by
 * another server on the same database do not change it; such caches also expire after a while.
 */
public final class ChangeGeneration {
    private final AtomicLong value = new AtomicLong();

    public long current() {
        return value.get();
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
