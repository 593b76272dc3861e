package io.clusterplatform.provisioner.distributor.pxe;

import java.io.IOException;
import java.nio.file.Path;

/** The proxyDHCP + TFTP service of a distributor (dnsmasq behind it in the product). */
public interface PxeService extends AutoCloseable {
    /** What the service reports as it runs: its log lines, and what the supervisor did. */
    interface Listener {
        void line(String line);

        void note(String message);
    }

    /**
     * Runs the service with {@code config}, restarting it if it runs with another one; returns once it
     * answers, or throws with the service's own error when it cannot start. Once started, a crash
     * restarts it until {@link #stop()}.
     */
    String start(Path config) throws IOException;

    /** Stops the service; nothing happens when it is not running. */
    void stop();

    boolean running();

    @Override
    void close();
}
