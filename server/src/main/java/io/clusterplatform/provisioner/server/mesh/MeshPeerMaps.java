package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Peer maps for nodes' long polls: the full map, or a delta since a version the node has, computed
 * from the network's change log (so deltas work after a restart and through any replica).
 *
 * <ul>
 *   <li>No {@code since}, a {@code since} the network never had (higher than its version), or one
 *       older than the change log reaches back ({@link MeshSettings#changeRetention()}): the full map
 *       at once.
 *   <li>A {@code since} below the current version: the delta at once.
 *   <li>Otherwise the poll waits for the next change. When one comes it waits {@link
 *       MeshSettings#coalesce()} more, so that a burst of changes arrives as one delta, and answers with
 *       everything up to then. No change within the wait: empty (the controller answers 204).
 * </ul>
 *
 * <p>When many nodes of a network wait, one change wakes them all with the same {@code since}: the
 * network's part of the delta is computed once and shared (a small cache keyed by network, since and
 * version); each node only leaves itself out, and sees its relayed peers at their relay's port for it
 * ({@link MeshRelays}). Relays are nobody's peer and are left out of every map.
 */
@Service
class MeshPeerMaps {
    private static final int CACHED = 64;

    /**
     * The network's side of a delta, before a node leaves itself out; not complete when the change log
     * no longer holds every change it would need.
     */
    private record NetworkDelta(boolean complete, List<MeshNode> added, List<MeshNode> updated, List<Long> removed) {}

    /**
     * A cached computation: a delta since {@code since}, or (a negative since) the network's nodes or
     * its relay view, at {@code version}.
     */
    private record Key(long networkPk, long since, long version) {}

    private static final long NODES = -1;
    private static final long RELAY_VIEW = -2;

    private final MeshNetworkStore networks;
    private final MeshNodeStore nodes;
    private final MeshVersions versions;
    private final MeshSettings settings;
    private final MeshRelays relays;
    private final Map<Key, CompletableFuture<Object>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<Object>> eldest) {
            return size() > CACHED;
        }
    };

    MeshPeerMaps(
            MeshNetworkStore networks,
            MeshNodeStore nodes,
            MeshVersions versions,
            MeshSettings settings,
            MeshRelays relays) {
        this.relays = relays;
        this.networks = networks;
        this.nodes = nodes;
        this.versions = versions;
        this.settings = settings;
    }

    /** The node's map (full or delta), or empty when nothing changed within {@code wait}. */
    Optional<PeerMap> poll(MeshNodeAuthentication node, Long since, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        nodes.touch(node.nodeId());
        if (since == null) {
            return Optional.of(full(node));
        }
        if (since < 0) {
            throw ProblemException.invalid(
                    "'since' must be a version from an earlier answer (0 or more), got " + since);
        }
        long known = versions.latest(node.networkPk()).orElseThrow(() -> gone(node));
        if (since < known) {
            return Optional.of(delta(node, since));
        }
        if (since > known) {
            // Perhaps another replica is ahead of what this one knows: ask the database.
            long stored = networks.version(node.networkPk()).orElseThrow(() -> gone(node));
            if (since > stored) {
                return Optional.of(full(node));
            }
            if (since < stored) {
                return Optional.of(delta(node, since));
            }
        }
        OptionalLong after = versions.awaitAfter(node.networkPk(), since, deadline);
        if (after.isEmpty()) {
            throw gone(node);
        }
        if (after.getAsLong() <= since) {
            return Optional.empty();
        }
        if (!settings.coalesce().isZero()) {
            Thread.sleep(settings.coalesce());
        }
        return Optional.of(delta(node, since));
    }

    /** What a relay forwards, at its network's version (every pair, each once). */
    record RelayMap(long version, List<MeshRelays.Pair> pairs) {}

    RelayMap relayMap(MeshNodeAuthentication relay) {
        long version = networks.version(relay.networkPk()).orElseThrow(() -> gone(relay));
        if (nodes.find(relay.nodeId()).isEmpty()) {
            throw removed(relay);
        }
        nodes.touch(relay.nodeId()); // a contact, as a node's poll of its peer map is
        return new RelayMap(version, relays.pairs(relay.nodeId()));
    }

    /** Every other node of the network, at its current version. */
    PeerMap.Full full(MeshNodeAuthentication node) {
        // The version first, then the nodes: the nodes are then at that version or later, and a later
        // delta from it repeats (never misses) what changed in between.
        long version = networks.version(node.networkPk()).orElseThrow(() -> gone(node));
        List<MeshNode> all = cached(new Key(node.networkPk(), NODES, version), () -> nodes.ofNetwork(node.networkPk()));
        boolean self = false;
        MeshRelays.View view =
                cached(new Key(node.networkPk(), RELAY_VIEW, version), () -> relays.view(node.networkPk()));
        List<Peer> peers = new ArrayList<>(all.size());
        for (MeshNode peer : all) {
            if (peer.nodeId() == node.nodeId()) {
                self = true;
            } else if (!MeshRelays.isRelay(peer)) {
                peers.add(seenBy(peer, node.nodeId(), view));
            }
        }
        if (!self) {
            throw removed(node);
        }
        return new PeerMap.Full(version, List.copyOf(peers), view.relays());
    }

    private PeerMap delta(MeshNodeAuthentication node, long since) {
        // A version this server knows to be committed (its own changes, or read from the database at
        // most a recheck interval ago): the delta up to it is the same for every node of the network,
        // so the woken polls share one computation and ask the database nothing themselves.
        long version = versions.latest(node.networkPk()).orElseThrow(() -> gone(node));
        if (since >= version) {
            version = networks.version(node.networkPk()).orElseThrow(() -> gone(node));
            if (since > version) {
                return full(node);
            }
        }
        long upTo = version;
        NetworkDelta delta = cached(new Key(node.networkPk(), since, upTo), () -> networkDelta(node, since, upTo));
        if (!delta.complete()) {
            return full(node); // the log no longer reaches back to since
        }
        if (delta.removed().contains(node.nodeId())) {
            throw removed(node);
        }
        MeshRelays.View view = cached(new Key(node.networkPk(), RELAY_VIEW, upTo), () -> relays.view(node.networkPk()));
        return new PeerMap.Delta(
                upTo,
                peersWithout(delta.added(), node, view),
                peersWithout(delta.updated(), node, view),
                delta.removed().stream().filter(id -> id != node.nodeId()).toList(),
                view.relays());
    }

    private NetworkDelta networkDelta(MeshNodeAuthentication node, long since, long upTo) {
        List<MeshNetworkStore.Change> changes = networks.changes(node.networkPk(), since, upTo);
        if (changes.size() != upTo - since) {
            return new NetworkDelta(false, List.of(), List.of(), List.of());
        }
        Set<Long> touched = new LinkedHashSet<>();
        Set<Long> arrived = new HashSet<>();
        for (MeshNetworkStore.Change change : changes) {
            touched.add(change.nodeId());
            if (change.kind().equals("added")) {
                arrived.add(change.nodeId());
            }
        }
        Map<Long, MeshNode> present = nodes.byIds(node.networkPk(), touched);
        List<MeshNode> added = new ArrayList<>();
        List<MeshNode> updated = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        for (long id : touched) {
            MeshNode now = present.get(id);
            if (now == null) {
                if (!arrived.contains(id)) {
                    removed.add(id); // came and went within the delta: the node never knew it
                }
            } else if (arrived.contains(id)) {
                added.add(now);
            } else {
                updated.add(now);
            }
        }
        return new NetworkDelta(true, List.copyOf(added), List.copyOf(updated), List.copyOf(removed));
    }

    private static List<Peer> peersWithout(List<MeshNode> peers, MeshNodeAuthentication self, MeshRelays.View view) {
        return peers.stream()
                .filter(peer -> peer.nodeId() != self.nodeId() && !MeshRelays.isRelay(peer))
                .map(peer -> seenBy(peer, self.nodeId(), view))
                .toList();
    }

    /**
     * The peer entry as {@code viewer} sees it: at its relay's port for the viewer when the pair is
     * relayed, with the peer's candidate for a direct path when both may try one.
     */
    static Peer seenBy(MeshNode peer, long viewer, MeshRelays.View view) {
        Peer entry = peer.asPeer();
        String endpoint = view.relayedFor(viewer).get(peer.nodeId());
        return endpoint == null
                ? entry
                : new Peer(
                        entry.nodeId(),
                        entry.hostname(),
                        entry.publicKey(),
                        entry.address(),
                        entry.ipv4(),
                        endpoint,
                        entry.role(),
                        entry.allowedIps(),
                        true,
                        view.candidate(viewer, peer.nodeId()));
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(Key key, Supplier<T> compute) {
        CompletableFuture<Object> future;
        boolean mine = false;
        synchronized (cache) {
            future = cache.get(key);
            if (future == null) {
                future = new CompletableFuture<>();
                cache.put(key, future);
                mine = true;
            }
        }
        if (mine) {
            try {
                future.complete(compute.get());
            } catch (RuntimeException e) {
                synchronized (cache) {
                    cache.remove(key, future);
                }
                future.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return (T) future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a peer map", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private static ProblemException removed(MeshNodeAuthentication node) {
        return new ProblemException(
                401,
                "Unauthorized",
                "node " + node.nodeId() + " was removed from mesh network '" + node.networkId()
                        + "': its node token no longer works; join again with a new join token");
    }

    private static ProblemException gone(MeshNodeAuthentication node) {
        return new ProblemException(
                401, "Unauthorized", "mesh network '" + node.networkId() + "' was deleted, and its nodes with it");
    }
}
