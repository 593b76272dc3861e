package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.server.http.ChangeSignal;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** Wakes followers of script runs when output or a result arrived (see {@link ChangeSignal}). */
@Component
class RunSignals {
    private final ChangeSignal signal = new ChangeSignal();

    long generation() {
        return signal.generation();
    }

    void signal() {
        signal.signal();
    }

    void awaitAfter(long seen, Duration timeout) throws InterruptedException {
        signal.awaitAfter(seen, timeout);
    }
}
