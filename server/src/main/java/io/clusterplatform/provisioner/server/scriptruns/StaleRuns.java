package io.clusterplatform.provisioner.server.scriptruns;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fails runs whose distributor stopped reporting: running a minute past their timeout (the agent
 * stops a script at its timeout and reports at once, so only a dead agent or link gets here).
 */
@Component
class StaleRuns {
    private static final Logger log = LoggerFactory.getLogger(StaleRuns.class);
    static final Duration GRACE = Duration.ofMinutes(1);

    private final ScriptRunStore runs;
    private final RunSignals signals;

    StaleRuns(ScriptRunStore runs, RunSignals signals) {
        this.runs = runs;
        this.signals = signals;
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
    void failStale() {
        int failed = runs.failStale(GRACE);
        if (failed > 0) {
            log.warn("{} script runs failed: their distributor stopped reporting", failed);
            signals.signal();
        }
    }
}
