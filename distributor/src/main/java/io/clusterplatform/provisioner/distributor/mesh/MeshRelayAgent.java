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
 */
final class MeshRelayAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MeshRelayAgent.class);

    private final MeshClient client;
    private final MeshState state;
    private final RelayForwarder forwarder;
    private final Set<RelayForwarder.Pair> relayed = new HashSet<>();
    private volatile boolean stopped;
    private volatile Thread loop;

    MeshRelayAgent(MeshClient client, MeshState state, RelayForwarder forwarder) {
        this.client = client;
        this.state = state;
        this.forwarder = forwarder;
    }

    /** Runs until {@link #close()} or the relay's removal. */
    MeshAgent.Exit run() throws InterruptedException {
        loop = Thread.currentThread();
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

    @Override
    public void close() {
        stopped = true;
        Thread running = loop;
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
        }
        forwarder.close();
    }
}
