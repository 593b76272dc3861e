package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.server.http.ChangeSignal;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** Wakes command polls of this server when a command was queued (see {@link ChangeSignal}). */
@Component
class CommandSignals {
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
