package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.server.http.ChangeSignal;
import io.clusterplatform.provisioner.server.storage.ReplicaSignals;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What this server knows of each network's latest peer-map version, and the wake-ups of the polls
 * waiting for it. A change committed through this server advances the version and wakes the
 * network's waiting polls at once, on this replica and (through {@link ReplicaSignals}, on
 * PostgreSQL) on every other. A change whose wake-up was lost is found by reading the version from the
 * database at most once per {@link MeshSettings#recheck()} per network, however many polls wait (one
 * of them reads, the others use what it read).
 */
@Component
class MeshVersions {
    private static final long UNREAD = -1;
    private static final String TOPIC = "mesh-versions";
    private static final String GONE = "gone";

    private static final class Watch {
        final ChangeSignal signal = new ChangeSignal();
        final ReentrantLock reading = new ReentrantLock();
        volatile long known = UNREAD;
        volatile long readAtNanos;
        volatile boolean gone;

        synchronized void advance(long version) {
            if (version > known) {
                known = version;
            }
        }
    }

    private final JdbcClient jdbc;
    private final ReplicaSignals replicas;
    private final long recheckNanos;
    private final ConcurrentHashMap<Long, Watch> watches = new ConcurrentHashMap<>();

    MeshVersions(JdbcClient jdbc, MeshSettings settings, ReplicaSignals replicas) {
        this.jdbc = jdbc;
        this.replicas = replicas;
        this.recheckNanos = settings.recheck().toNanos();
        replicas.on(TOPIC, this::heard);
    }

    /** A change of the network's peer map committed through this server under {@code version}. */
    void advanced(long networkPk, long version) {
        advancedHere(networkPk, version);
        replicas.announce(TOPIC, networkPk + " " + version);
    }

    /** The network was deleted: its waiting polls wake and find it gone. */
    void forget(long networkPk) {
        forgetHere(networkPk);
        replicas.announce(TOPIC, networkPk + " " + GONE);
    }

    /** What another replica announced: {@code "<networkPk> <version>"}, {@code "<networkPk> gone"}, or a resync. */
    private void heard(String detail) {
        if (detail.equals(ReplicaSignals.RESYNC)) {
            for (Watch watch : watches.values()) {
                watch.readAtNanos = System.nanoTime() - recheckNanos;
                watch.signal.wakeHere();
            }
            return;
        }
        String[] parts = detail.split(" ");
        if (parts.length != 2) {
            return;
        }
        try {
            long networkPk = Long.parseLong(parts[0]);
            if (parts[1].equals(GONE)) {
                forgetHere(networkPk);
            } else if (watches.containsKey(networkPk)) {
                advancedHere(networkPk, Long.parseLong(parts[1]));
            }
        } catch (NumberFormatException ignored) {
            // not ours to understand; the recheck finds any change
        }
    }

    private void advancedHere(long networkPk, long version) {
        Watch watch = watch(networkPk);
        watch.advance(version);
        watch.signal.wakeHere();
    }

    private void forgetHere(long networkPk) {
        Watch watch = watches.remove(networkPk);
        if (watch != null) {
            watch.gone = true;
            watch.signal.wakeHere();
        }
    }

    /** The latest version this server knows, at most one recheck interval old; empty if the network is gone. */
    OptionalLong latest(long networkPk) {
        Watch watch = watch(networkPk);
        if (watch.known == UNREAD) {
            watch.reading.lock();
            try {
                if (watch.known == UNREAD && !watch.gone) {
                    read(networkPk, watch);
                }
            } finally {
                watch.reading.unlock();
            }
        } else if (System.nanoTime() - watch.readAtNanos >= recheckNanos && watch.reading.tryLock()) {
            try {
                read(networkPk, watch);
            } finally {
                watch.reading.unlock();
            }
        }
        return watch.gone ? OptionalLong.empty() : OptionalLong.of(watch.known);
    }

    /**
     * Waits until the network's version passes {@code since} or {@code deadlineNanos} ({@link
     * System#nanoTime()}) comes. Returns the latest version (still {@code since} or lower on a
     * timeout), or empty when the network is gone.
     */
    OptionalLong awaitAfter(long networkPk, long since, long deadlineNanos) throws InterruptedException {
        while (true) {
            Watch watch = watch(networkPk);
            long generation = watch.signal.generation();
            OptionalLong latest = latest(networkPk);
            if (latest.isEmpty() || latest.getAsLong() > since) {
                return latest;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return latest;
            }
            watch.signal.awaitAfter(generation, Duration.ofNanos(Math.min(remaining, recheckNanos)));
        }
    }

    private Watch watch(long networkPk) {
        return watches.computeIfAbsent(networkPk, pk -> new Watch());
    }

    private void read(long networkPk, Watch watch) {
        OptionalLong stored = jdbc.sql("SELECT version FROM mesh_networks WHERE id = ?")
                .param(networkPk)
                .query(Long.class)
                .optional()
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
        watch.readAtNanos = System.nanoTime();
        if (stored.isEmpty()) {
            watch.gone = true;
            watches.remove(networkPk, watch);
            watch.signal.wakeHere();
        } else {
            watch.advance(stored.getAsLong());
        }
    }
}
