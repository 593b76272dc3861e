package io.clusterplatform.provisioner.core.testing;

import java.time.Duration;

/**
 * The one place where test timeouts live. Every timeout scales with the system property
 * {@code provisioner.test.timeout.factor} (default 1) so a slow machine can give tests more time
 * without editing them.
 */
public final class Timeouts {
    private Timeouts() {}

    public static double factor() {
        return Double.parseDouble(System.getProperty("provisioner.test.timeout.factor", "1"));
    }

    public static Duration scaled(Duration base) {
        return Duration.ofMillis((long) (base.toMillis() * factor()));
    }

    /** For a request to a server on this machine. */
    public static Duration request() {
        return scaled(Duration.ofSeconds(30));
    }

    /** For an external process (ssh-keygen, psql, ...) to finish. */
    public static Duration process() {
        return scaled(Duration.ofSeconds(60));
    }

    /** For a server or service to start. */
    public static Duration startup() {
        return scaled(Duration.ofSeconds(120));
    }
}
