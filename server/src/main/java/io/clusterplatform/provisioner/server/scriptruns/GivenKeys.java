package io.clusterplatform.provisioner.server.scriptruns;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Private keys given with a run request ({@code privateKey}), held in this server's memory only,
 * from the request until the distributor's agent takes the run. They are never written to the
 * database: a cleared column would still leave the key in the database file's old row versions
 * (H2's and PostgreSQL's alike). A run whose key this server does not hold when its agent comes for
 * it (the server restarted in between, or another server sharing the database answered) fails with
 * {@link #LOST}; runs with a key stored in {@code /api/sshkeys} do not depend on it.
 */
@Component
class GivenKeys {
    static final String LOST = "the private key given with this run was kept only in the memory of the server that"
            + " accepted it, and that server restarted (or another server answered the distributor) before the"
            + " distributor took the run: send the run again, or store the key in /api/sshkeys";

    /** How long a key waits for its run to be taken; a run not taken by then fails with {@link #LOST}. */
    static final java.time.Duration KEEP = java.time.Duration.ofHours(2);

    private record Held(String privateKey, long until) {}

    private final Map<Long, Held> keys = new ConcurrentHashMap<>();

    void hold(long runId, String privateKey) {
        long now = System.nanoTime();
        keys.values().removeIf(held -> held.until() - now < 0);
        keys.put(runId, new Held(privateKey, now + KEEP.toNanos()));
    }

    /** The run's key, forgotten as it is handed out. */
    Optional<String> take(long runId) {
        Held held = keys.remove(runId);
        return held == null || held.until() - System.nanoTime() < 0 ? Optional.empty() : Optional.of(held.privateKey());
    }

    void forget(long runId) {
        keys.remove(runId);
    }
}
