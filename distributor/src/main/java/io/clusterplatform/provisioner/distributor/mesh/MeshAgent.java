package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clusterplatform.provisioner.core.mesh.DirectPath;
import io.clusterplatform.provisioner.core.mesh.Health;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a joined node's interface in step with its peer map: brings the interface up, takes the full
 * map, then long-polls deltas and applies them peer by peer, leaving unchanged peers alone. While the
 * server is unreachable it retries with backoff and leaves the tunnels as they are. Status reports
 * (the latest handshakes, each peer's endpoint, the round trip of a probe of each peer) go out on
 * their own thread.
 *
 * <p>A peer given with a candidate (it is relayed, and both sides may try a direct path) gets a
 * {@link DirectPath}, stepped every {@link #PATH_STEP} on its own thread with what {@code wg show}
 * says: the peer's endpoint is the relay's port or the candidate, as the path says.
 */
final class MeshAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MeshAgent.class);
    static final int KEEPALIVE_SECONDS = 25;
    static final Duration WAIT = Duration.ofSeconds(25);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    static final Duration PATH_STEP = Duration.ofMillis(500);
    /** The agent's view of each peer's path, in the state directory, for {@code provisioner mesh status}. */
    static final String PATHS_FILE = "paths.json";
    /** How long a probe of a peer's overlay address waits for its answer. */
    static final Duration PROBE_WAIT = Duration.ofSeconds(1);

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
    /** The direct paths being tried or used, by node id (peers with a candidate). */
    private final Map<Long, DirectPath> paths = new HashMap<>();
    /** The network's relays, from the latest map: probed with every report to find the nearest. */
    private volatile List<RelayProbes.Target> relays = List.of();

    private final RelayProbes.Window relayWindow = new RelayProbes.Window();
    /** The latest probe round trips in microseconds, by public key (none when unanswered). */
    private final Map<String, Long> rtts = new ConcurrentHashMap<>();

    private volatile boolean stopped;
    private volatile Thread loop;
    private Thread reporter;
    private Thread pather;

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
    synchronized void up() throws IOException {
        paths.clear();
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
        pather = Thread.ofPlatform().daemon().name("mesh-paths").start(this::pathLoop);
        Long version = null;
        if (first != null) {
            relays = RelayProbes.Target.list(first.path("relays"));
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
    synchronized long apply(JsonNode map) throws IOException {
        try {
            return applyMap(map);
        } finally {
            writePaths();
        }
    }

    private long applyMap(JsonNode map) throws IOException {
        if (map.has("relays")) {
            relays = RelayProbes.Target.list(map.path("relays"));
        }
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

    private synchronized void applyFull(List<MeshPeer> peers) {
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
        DirectPath path = null;
        if (peer.candidate() != null && peer.endpoint() != null) {
            path = paths.get(peer.nodeId());
            if (old == null || path == null || !peer.candidate().equals(old.candidate())) {
                path = new DirectPath(peer.candidate(), peer.endpoint(), KEEPALIVE_SECONDS, Instant.now());
            } else if (!peer.endpoint().equals(old.endpoint())) {
                path.relayMoved(peer.endpoint()); // a direct path stays direct
            }
            paths.put(peer.nodeId(), path);
        } else {
            paths.remove(peer.nodeId());
        }
        DirectPath.Use use = path == null ? new DirectPath.Use(peer.endpoint(), KEEPALIVE_SECONDS, false) : path.use();
        boolean keyChanged = old != null && !old.publicKey().equals(peer.publicKey());
        // Through another relay now (the first went down): set the peer anew, so that a handshake goes
        // through the new relay at once (a relay learns where a node is from its handshakes).
        boolean relayMoved = old != null
                && old.relayed()
                && !java.util.Objects.equals(old.endpoint(), peer.endpoint())
                && java.util.Objects.equals(use.endpoint(), peer.endpoint());
        if (keyChanged || relayMoved) {
            wg.removePeer(state.interfaceName(), old.publicKey());
        }
        wg.setPeer(state.interfaceName(), peer.at(use.endpoint()), use.keepaliveSeconds());
        applied.put(peer.nodeId(), peer);
        String direct = "";
        if (path != null) {
            direct = path.state() == DirectPath.State.DIRECT
                    ? " (relayed; direct at " + peer.candidate() + ")"
                    : " (relayed; a direct path to " + peer.candidate() + " is tried from " + path.nextTry() + ")";
        }
        log.info(
                "peer {} ({}) {}: {} at {}{}",
                peer.nodeId(),
                peer.hostname(),
                old == null ? "added" : "updated",
                peer.allowedIps(),
                peer.endpoint() == null ? "(no endpoint: it reaches out)" : peer.endpoint(),
                direct);
    }

    /** Steps every direct path with what WireGuard shows, and sets what they ask for. */
    private void pathLoop() {
        while (!stopped) {
            try {
                stepPaths();
            } catch (IOException | RuntimeException e) {
                log.debug("direct paths: {}", e.getMessage());
            }
            try {
                Thread.sleep(PATH_STEP.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized void stepPaths() throws IOException {
        if (paths.isEmpty()) {
            return;
        }
        Map<String, WgDump.Peer> byKey = new HashMap<>();
        for (WgDump.Peer p : WgDump.parse(wg.dump(state.interfaceName())).peers()) {
            byKey.put(p.publicKey(), p);
        }
        Instant now = Instant.now();
        boolean changed = false;
        for (Map.Entry<Long, DirectPath> entry : paths.entrySet()) {
            MeshPeer peer = applied.get(entry.getKey());
            WgDump.Peer seen = peer == null ? null : byKey.get(peer.publicKey());
            if (seen == null) {
                continue;
            }
            DirectPath path = entry.getValue();
            DirectPath.State before = path.state();
            DirectPath.Use use = path.step(new DirectPath.Seen(seen.endpoint(), seen.rxBytes()), now);
            if (use == null) {
                continue;
            }
            if (use.fresh()) {
                // A new handshake on the new path: the relay learns where this node is from handshakes.
                wg.removePeer(state.interfaceName(), peer.publicKey());
            }
            wg.setPeer(state.interfaceName(), peer.at(use.endpoint()), use.keepaliveSeconds());
            if (path.state() != before) {
                changed = true;
                log.info(
                        "peer {} ({}): {} -> {}: {}",
                        peer.nodeId(),
                        peer.hostname(),
                        before.wireName(),
                        path.state().wireName(),
                        path.why());
            }
        }
        if (changed) {
            writePaths();
        }
    }

    /**
     * Writes {@value #PATHS_FILE} to the state directory: each peer's path as this agent chose it,
     * for {@code provisioner mesh status}. A failure to write is logged, never fatal.
     */
    private void writePaths() {
        ArrayNode list = json.createArrayNode();
        for (MeshPeer peer : applied.values()) {
            ObjectNode p = list.addObject()
                    .put("nodeId", peer.nodeId())
                    .put("hostname", peer.hostname())
                    .put("publicKey", peer.publicKey())
                    .put("relayed", peer.relayed());
            if (peer.relayed()) {
                p.put("relay", peer.endpoint());
            }
            DirectPath path = paths.get(peer.nodeId());
            if (path != null) {
                p.put("candidate", path.candidate())
                        .put("state", path.state().wireName())
                        .put("why", path.why());
            }
        }
        Path file = privateKeyFile.resolveSibling(PATHS_FILE);
        try {
            Path tmp = file.resolveSibling(PATHS_FILE + ".tmp");
            java.nio.file.Files.writeString(tmp, json.writeValueAsString(list));
            java.nio.file.Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.debug("cannot write {}: {}", file, e.getMessage());
        }
    }

    private void remove(long nodeId) throws IOException {
        MeshPeer old = applied.get(nodeId);
        if (old == null) {
            return;
        }
        wg.removePeer(state.interfaceName(), old.publicKey());
        applied.remove(nodeId);
        paths.remove(nodeId);
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
        List<RelayProbes.Target> targets = relays;
        java.util.concurrent.atomic.AtomicReference<Map<Long, Long>> relayRtts =
                new java.util.concurrent.atomic.AtomicReference<>(Map.of());
        Thread relayProbe = Thread.ofVirtual().start(() -> relayRtts.set(RelayProbes.measure(targets, PROBE_WAIT)));
        probe(dump);
        try {
            relayProbe.join(PROBE_WAIT.toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        ObjectNode body = json.createObjectNode();
        if (state.endpoint() != null) {
            body.put("endpoint", state.endpoint());
        }
        body.put("directPaths", true);
        ArrayNode peers = body.putArray("peers");
        for (WgDump.Peer peer : dump.peers()) {
            ObjectNode p = peers.addObject()
                    .put("publicKey", peer.publicKey())
                    .put("lastHandshake", peer.latestHandshake())
                    .put("rxBytes", peer.rxBytes())
                    .put("txBytes", peer.txBytes());
            if (peer.endpoint() != null) {
                p.put("endpoint", peer.endpoint());
            }
            Long rtt = rtts.get(peer.publicKey());
            if (rtt != null) {
                p.put("rttMillis", rtt / 1000.0);
            }
        }
        if (!targets.isEmpty()) {
            ArrayNode measured = body.putArray("relays");
            Map<Long, Long> reported = relayWindow.add(relayRtts.get());
            reported.forEach((relay, micros) -> {
                ObjectNode r = measured.addObject().put("nodeId", relay);
                if (micros == null) {
                    r.putNull("rttMillis");
                } else {
                    r.put("rttMillis", micros / 1000.0);
                }
            });
            lastRelayRtts = reported;
        }
        client.status(state.nodeId(), state.nodeToken(), body);
    }

    /**
     * Probes the overlay address of every peer with a handshake in the last 3 minutes, all at once:
     * an ICMP echo where the agent may send one (as root), else a TCP connection to port 7, either of
     * which answers in one round trip ({@link InetAddress#isReachable}).
     */
    private void probe(WgDump dump) {
        Map<String, String> addresses = new HashMap<>();
        synchronized (this) {
            for (MeshPeer peer : applied.values()) {
                if (!peer.allowedIps().isEmpty()) {
                    addresses.put(peer.publicKey(), peer.allowedIps().get(0).split("/")[0]);
                }
            }
        }
        long recent = Instant.now().minus(Health.HANDSHAKE_WITHIN).getEpochSecond();
        List<Thread> probes = new ArrayList<>();
        for (WgDump.Peer peer : dump.peers()) {
            String address = addresses.get(peer.publicKey());
            if (address == null || peer.latestHandshake() < recent) {
                rtts.remove(peer.publicKey());
                continue;
            }
            probes.add(Thread.ofVirtual().start(() -> {
                try {
                    InetAddress target = InetAddress.getByName(address);
                    long start = System.nanoTime();
                    if (target.isReachable((int) PROBE_WAIT.toMillis())) {
                        rtts.put(peer.publicKey(), Math.max(1, (System.nanoTime() - start) / 1000));
                    } else {
                        rtts.remove(peer.publicKey());
                    }
                } catch (IOException e) {
                    rtts.remove(peer.publicKey());
                }
            }));
        }
        for (Thread probe : probes) {
            try {
                probe.join(PROBE_WAIT.toMillis() + 500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private volatile Map<Long, Long> lastRelayRtts = Map.of();

    /** The round trips last measured to the network's relays in microseconds, null for no answer (for tests). */
    Map<Long, Long> relayRtts() {
        return lastRelayRtts;
    }

    /** The direct paths' states, by node id (for tests and mesh status). */
    synchronized Map<Long, DirectPath.State> pathStates() {
        Map<Long, DirectPath.State> states = new HashMap<>();
        paths.forEach((id, path) -> states.put(id, path.state()));
        return states;
    }

    /** Map of the peers as applied (for tests). */
    synchronized Map<Long, MeshPeer> applied() {
        return Map.copyOf(applied);
    }

    /** Stops the loops and deletes the interface. */
    @Override
    public void close() {
        stopped = true;
        if (reporter != null) {
            reporter.interrupt();
        }
        if (pather != null) {
            pather.interrupt();
        }
        Thread running = loop;
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
        }
        wg.down(state.interfaceName());
    }
}
