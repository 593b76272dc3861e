package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a relay's forwarder in step with the pairs the server gives it: takes them all, then
 * long-polls for changes and adds and removes pairs, leaving the others (and their traffic) alone.
 * While the server is unreachable it keeps relaying what it has and retries with backoff.
 *
 * <p>It also reports where each port's node sends from (its NAT's mapping towards the relay): the
 * server makes those its candidates for direct paths. They go out when they changed (and every
 * {@link #OBSERVED_ANYWAY}); a report goes out at least every {@link #REPORT_ANYWAY}: the relay's
 * contact, by which the server knows it is up (a relay silent for {@code
 * provisioner.mesh.relay-timeout} is down, and its pairs move to the next relay).
 */
final class MeshRelayAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MeshRelayAgent.class);
    static final Duration REPORT_ANYWAY = Duration.ofSeconds(2);
    static final Duration OBSERVED_ANYWAY = Duration.ofMinutes(1);

    private final MeshClient client;
    private final MeshState state;
    private final RelayForwarder forwarder;
    private final Set<RelayForwarder.Pair> relayed = new HashSet<>();
    private final Duration checkEvery;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private volatile boolean stopped;
    private volatile Thread loop;
    private Thread reporter;

    MeshRelayAgent(
            MeshClient client,
            MeshState state,
            RelayForwarder forwarder,
            com.fasterxml.jackson.databind.ObjectMapper json,
            Duration checkEvery) {
        this.client = client;
        this.state = state;
        this.forwarder = forwarder;
        this.json = json;
        this.checkEvery = checkEvery;
    }

    /** Runs until {@link #close()} or the relay's removal. */
    MeshAgent.Exit run() throws InterruptedException {
        loop = Thread.currentThread();
        reporter = Thread.ofPlatform().daemon().name("relay-status").start(this::reportLoop);
        Long version = null;
        Duration backoff = Duration.ofSeconds(1);
        while (!stopped) {
            try {
                Optional<JsonNode> map = client.relayPairs(state.nodeId(), state.nodeToken(), version, MeshAgent.WAIT);
                if (map.isPresent()) {
                    apply(map.get().path("pairs"));
                    version = map.get().path("version").asLong();
                }
                backoff = Duration.ofSeconds(1);
            } catch (MeshClient.NodeGone e) {
                log.error(
                        "relay {} was removed from {} ({}): stopping",
                        state.nodeId(),
                        state.networkId(),
                        e.getMessage());
                return MeshAgent.Exit.NODE_REMOVED;
            } catch (IOException | RuntimeException e) {
                if (stopped) {
                    break;
                }
                log.warn(
                        "the server is unreachable or refused ({}); relaying what it had, retrying in {} s",
                        e.getMessage(),
                        backoff.toSeconds());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MeshAgent.MAX_BACKOFF) > 0
                        ? MeshAgent.MAX_BACKOFF
                        : backoff.multipliedBy(2);
            }
        }
        return MeshAgent.Exit.STOPPED;
    }

    private void apply(JsonNode pairs) {
        Set<RelayForwarder.Pair> wanted = new HashSet<>();
        for (JsonNode p : pairs) {
            wanted.add(new RelayForwarder.Pair(
                    p.path("portA").asInt(),
                    p.path("keyA").asText(),
                    p.path("portB").asInt(),
                    p.path("keyB").asText()));
        }
        for (RelayForwarder.Pair gone : Set.copyOf(relayed)) {
            if (!wanted.contains(gone)) {
                forwarder.remove(gone);
                relayed.remove(gone);
                log.info("stopped relaying ports {} and {}", gone.portA(), gone.portB());
            }
        }
        for (RelayForwarder.Pair pair : wanted) {
            if (relayed.contains(pair)) {
                continue;
            }
            try {
                forwarder.add(pair);
                relayed.add(pair);
            } catch (IOException e) {
                log.warn("cannot relay ports {} and {}: {}", pair.portA(), pair.portB(), e.getMessage());
            }
        }
    }

    /** Reports what the forwarder observed when it changed (checked every {@code checkEvery}), else now and then. */
    private void reportLoop() {
        java.util.Map<Integer, String> sent = null;
        long sentAt = 0;
        long fullAt = 0;
        while (!stopped) {
            java.util.Map<Integer, String> observed = forwarder.observed();
            long now = System.nanoTime();
            // What it observed only when that changed (and once a minute, should the server have lost it);
            // otherwise a report with nothing in it, which keeps the relay up.
            boolean full = !observed.equals(sent) || now - fullAt > OBSERVED_ANYWAY.toNanos();
            if (full || now - sentAt > REPORT_ANYWAY.toNanos()) {
                try {
                    client.status(state.nodeId(), state.nodeToken(), report(full ? observed : java.util.Map.of()));
                    sentAt = now;
                    if (full) {
                        sent = observed;
                        fullAt = now;
                    }
                } catch (IOException | RuntimeException e) {
                    log.debug("status report failed: {}", e.getMessage());
                }
            }
            try {
                Thread.sleep(checkEvery.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private JsonNode report(java.util.Map<Integer, String> observed) {
        var body = json.createObjectNode();
        body.put("endpoint", state.endpoint());
        body.putArray("peers");
        var list = body.putArray("observed");
        observed.forEach((port, endpoint) -> list.addObject().put("port", port).put("endpoint", endpoint));
        return body;
    }

    @Override
    public void close() {
        stopped = true;
        if (reporter != null) {
            reporter.interrupt();
        }
        Thread running = loop;
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
        }
        forwarder.close();
    }
}
