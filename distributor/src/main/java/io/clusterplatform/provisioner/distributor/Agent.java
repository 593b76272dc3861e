package io.clusterplatform.provisioner.distributor;

import io.clusterplatform.provisioner.core.distributors.protocol.CommandResult;
import io.clusterplatform.provisioner.core.jobs.RetryBackoff;
import io.clusterplatform.provisioner.distributor.link.BootEvent;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import io.clusterplatform.provisioner.distributor.liveness.LivenessChecker;
import io.clusterplatform.provisioner.distributor.pxe.EventOutbox;
import io.clusterplatform.provisioner.distributor.pxe.LanInterfaces;
import io.clusterplatform.provisioner.distributor.pxe.PxeService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributor agent's loop: register, then long-poll for commands, apply each and acknowledge it;
 * whenever the server cannot be reached, wait (1 s doubling to 30 s) and register again. The PXE
 * service does not depend on the link: it keeps answering while the server is away, and its boot
 * events wait in the outbox. Beside it, {@link LivenessChecker} checks the site's localnodes.
 */
final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    static final Duration POLL_WAIT = Duration.ofSeconds(25);
    private static final RetryBackoff RECONNECTS = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final long NOT_REGISTERED = -1;

    private final ServerLink link;
    private final CommandHandler commands;
    private final EventOutbox outbox;
    private final PxeService pxe;
    private final String hostname;
    private final String version;
    private final String artifactId;
    private final AtomicLong distributorId = new AtomicLong(NOT_REGISTERED);
    private volatile boolean stopped;
    private Thread uploader;
    private Thread checker;

    Agent(
            ServerLink link,
            CommandHandler commands,
            EventOutbox outbox,
            PxeService pxe,
            String artifactId,
            String hostname,
            String version) {
        this.artifactId = artifactId;
        this.link = link;
        this.commands = commands;
        this.outbox = outbox;
        this.pxe = pxe;
        this.hostname = hostname;
        this.version = version;
    }

    /** Runs until {@link #close()} (from a shutdown hook) or the thread is interrupted. */
    void run() {
        commands.resume();
        uploader = Thread.ofPlatform().daemon().name("boot-event-uploader").start(this::uploadEvents);
        LivenessChecker liveness = new LivenessChecker(link);
        checker = Thread.ofPlatform().daemon().name("liveness-checker").start(() -> liveness.run(distributorId::get));
        int failures = 0;
        while (!stopped && !Thread.currentThread().isInterrupted()) {
            try {
                ServerLink.Registration registration = link.register(hostname, version, LanInterfaces.prefixes());
                if (!registration.artifactId().equals(artifactId)) {
                    throw new ServerLink.Refused(
                            403,
                            "the token enrols a distributor of artifactId '" + registration.artifactId() + "', not '"
                                    + artifactId + "': use that artifact's token");
                }
                long id = registration.id();
                distributorId.set(id);
                log.info("registered with {} as distributor {} of {} ({})", link.server(), id, artifactId, hostname);
                failures = 0;
                pollCommands(id);
            } catch (ServerLink.Unavailable e) {
                distributorId.set(NOT_REGISTERED);
                failures++;
                pause(e.getMessage() + "; PXE service " + (pxe.running() ? "keeps running" : "is off"), failures);
            } catch (ServerLink.Refused e) {
                distributorId.set(NOT_REGISTERED);
                failures++;
                pause(
                        e.getMessage()
                                + (e.status() == 401 || e.status() == 403
                                        ? " (is the distributor token valid and not revoked?)"
                                        : ""),
                        failures);
            } catch (IOException e) {
                distributorId.set(NOT_REGISTERED);
                failures++;
                pause("link failed: " + e.getMessage(), failures);
            }
        }
    }

    private void pollCommands(long id) throws IOException {
        while (!stopped) {
            Optional<ServerLink.Command> next = link.nextCommand(id, POLL_WAIT);
            if (next.isEmpty()) {
                continue;
            }
            ServerLink.Command command = next.get();
            log.info("command {}: {} {}", command.id(), command.kind(), command.payload());
            CommandResult result = commands.apply(id, command);
            if (result.ok()) {
                log.info("command {} done", command.id());
            } else {
                log.warn("command {} failed: {}", command.id(), result.error());
            }
            link.acknowledge(id, command.id(), result);
        }
    }

    private void uploadEvents() {
        int failures = 0;
        while (!stopped) {
            try {
                List<BootEvent> batch = outbox.peek(1000);
                long id = distributorId.get();
                if (batch.isEmpty() || id == NOT_REGISTERED) {
                    if (id == NOT_REGISTERED) {
                        Thread.sleep(200);
                    }
                    continue;
                }
                link.sendEvents(id, batch);
                outbox.remove(batch);
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                failures++;
                log.debug("cannot upload boot events yet: {}", e.getMessage());
                try {
                    Thread.sleep(RECONNECTS.delayAfter(failures).toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void pause(String why, int failures) {
        Duration wait = RECONNECTS.delayAfter(failures);
        log.warn("{}; connecting again in {} ms", why, wait.toMillis());
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped = true;
        if (uploader != null) {
            uploader.interrupt();
        }
        if (checker != null) {
            checker.interrupt();
        }
        pxe.close();
    }
}
