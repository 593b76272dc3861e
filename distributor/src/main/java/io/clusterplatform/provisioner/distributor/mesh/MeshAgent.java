package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a joined node's interface in step with its peer map: brings the interface up, takes the full
 * map, then long-polls deltas and applies them peer by peer, leaving unchanged peers alone. While the
 * server is unreachable it retries with backoff and leaves the tunnels as they are. Status reports
 * (the latest handshakes) go out on their own thread.
 */
final class MeshAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MeshAgent.class);
    static final int KEEPALIVE_SECONDS = 25;
    static final Duration WAIT = Duration.ofSeconds(25);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    /** How run() ended. */
    enum Exit {
        STOPPED,
        NODE_REMOVED
    }

    private final MeshClient client;
    private final Wireguard wg;
    private final MeshState state;
    private final Path privateKeyFile;
    private final ObjectMapper json;
    private final Duration reportEvery;
    /** The peers as applied to the interface, by node id. */
    private final Map<Long, MeshPeer> applied = new HashMap<>();

    private volatile boolean stopped;
    private volatile Thread loop;
    private Thread reporter;

    MeshAgent(
            MeshClient client,
            Wireguard wg,
            MeshState state,
            Path privateKeyFile,
            ObjectMapper json,
            Duration reportEvery) {
        this.client = client;
        this.wg = wg;
        this.state = state;
        this.privateKeyFile = privateKeyFile;
        this.json = json;
        this.reportEvery = reportEvery;
    }

    /** Creates the interface with the node's key, port and addresses (no peers yet). */
    void up() throws IOException {
        wg.up(state.interfaceName(), privateKeyFile, state.listenPort(), state.interfaceAddresses());
        applied.clear();
        log.info(
                "{} is up: node {} ({}) of {} at {}",
                state.interfaceName(),
                state.nodeId(),
                state.role(),
                state.networkId(),
                String.join(", ", state.interfaceAddresses()));
    }

    /** Runs until {@link #close()} or the node's removal; {@code first} is the join's map, if just joined. */
    Exit run(JsonNode first) throws InterruptedException {
        loop = Thread.currentThread();
        reporter = Thread.ofPlatform().daemon().name("mesh-status").start(this::reportLoop);
        Long version = null;
        if (first != null) {
            applyFull(MeshPeer.list(first.path("peers")));
            version = first.path("version").asLong();
        }
        Duration backoff = Duration.ofSeconds(1);
        while (!stopped) {
            try {
                if (!wg.alive(state.interfaceName())) {
                    log.warn("{} is gone (wireguard-go exited?): creating it again", state.interfaceName());
                    up();
                    version = null;
                }
                Optional<JsonNode> map = client.peers(state.nodeId(), state.nodeToken(), version, WAIT);
                if (map.isPresent()) {
                    version = apply(map.get());
                }
                backoff = Duration.ofSeconds(1);
            } catch (MeshClient.NodeGone e) {
                log.error(
                        "node {} was removed from {} ({}): taking {} down",
                        state.nodeId(),
                        state.networkId(),
                        e.getMessage(),
                        state.interfaceName());
                return Exit.NODE_REMOVED;
            } catch (IOException | RuntimeException e) {
                if (stopped) {
                    break;
                }
                log.warn(
                        "the server is unreachable or refused ({}); the tunnels stay as they are, retrying in {} s",
                        e.getMessage(),
                        backoff.toSeconds());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        return Exit.STOPPED;
    }

    /** Applies a full map or a delta; returns its version. */
    long apply(JsonNode map) throws IOException {
        if (map.path("full").asBoolean()) {
            applyFull(MeshPeer.list(map.path("peers")));
        } else {
            for (JsonNode id : map.path("removed")) {
                remove(id.asLong());
            }
            for (MeshPeer peer : MeshPeer.list(map.path("added"))) {
                set(peer);
            }
            for (MeshPeer peer : MeshPeer.list(map.path("updated"))) {
                set(peer);
            }
        }
        return map.path("version").asLong();
    }

    private void applyFull(List<MeshPeer> peers) {
        Set<Long> wanted = new HashSet<>();
        for (MeshPeer peer : peers) {
            wanted.add(peer.nodeId());
        }
        for (Long id : List.copyOf(applied.keySet())) {
            if (!wanted.contains(id)) {
                tryRun(() -> remove(id));
            }
        }
        for (MeshPeer peer : peers) {
            tryRun(() -> set(peer));
        }
    }

    private void set(MeshPeer peer) throws IOException {
        if (peer.nodeId() == state.nodeId()) {
            return;
        }
        MeshPeer old = applied.get(peer.nodeId());
        if (peer.equals(old)) {
            return;
        }
        if (old != null && !old.publicKey().equals(peer.publicKey())) {
            wg.removePeer(state.interfaceName(), old.publicKey());
        }
        wg.setPeer(state.interfaceName(), peer, KEEPALIVE_SECONDS);
        applied.put(peer.nodeId(), peer);
        log.info(
                "peer {} ({}) {}: {} at {}",
                peer.nodeId(),
                peer.hostname(),
                old == null ? "added" : "updated",
                peer.allowedIps(),
                peer.endpoint() == null ? "(no endpoint: it reaches out)" : peer.endpoint());
    }

    private void remove(long nodeId) throws IOException {
        MeshPeer old = applied.get(nodeId);
        if (old == null) {
            return;
        }
        wg.removePeer(state.interfaceName(), old.publicKey());
        applied.remove(nodeId);
        log.info("peer {} ({}) removed", nodeId, old.hostname());
    }

    private interface Step {
        void run() throws IOException;
    }

    private static void tryRun(Step step) {
        try {
            step.run();
        } catch (IOException e) {
            log.warn("{}", e.getMessage());
        }
    }

    /** Sends {@code wg show dump} as a status report every {@code reportEvery}; failures wait for the next. */
    private void reportLoop() {
        while (!stopped) {
            try {
                report();
            } catch (IOException | RuntimeException e) {
                log.debug("status report failed: {}", e.getMessage());
            }
            try {
                Thread.sleep(reportEvery.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void report() throws IOException {
        WgDump dump = WgDump.parse(wg.dump(state.interfaceName()));
        ObjectNode body = json.createObjectNode();
        if (state.endpoint() != null) {
            body.put("endpoint", state.endpoint());
        }
        ArrayNode peers = body.putArray("peers");
        for (WgDump.Peer peer : dump.peers()) {
            peers.addObject()
                    .put("publicKey", peer.publicKey())
                    .put("lastHandshake", peer.latestHandshake())
                    .put("rxBytes", peer.rxBytes())
                    .put("txBytes", peer.txBytes());
        }
        client.status(state.nodeId(), state.nodeToken(), body);
    }

    /** Map of the peers as applied (for tests). */
    Map<Long, MeshPeer> applied() {
        return Map.copyOf(applied);
    }

    /** Stops the loops and deletes the interface. */
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
        wg.down(state.interfaceName());
    }
}
