package io.clusterplatform.provisioner.server.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.auth.ApiTokens;
import io.clusterplatform.provisioner.core.auth.TokenKind;
import io.clusterplatform.provisioner.core.mesh.Ipv4Range;
import io.clusterplatform.provisioner.core.mesh.MeshRules;
import io.clusterplatform.provisioner.core.mesh.NodeRole;
import io.clusterplatform.provisioner.core.mesh.TokenRole;
import io.clusterplatform.provisioner.core.mesh.UlaPrefix;
import io.clusterplatform.provisioner.core.mesh.WireguardKeys;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.StorableText;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What changes a mesh: networks, join tokens, joins, removals, status reports and kubeconfig
 * uploads. Joins and removals are single transactions that take the network's row lock (see {@link
 * MeshNetworkStore}), so roles, sequence numbers and versions are decided one at a time.
 */
@Service
public class MeshService {
    /** The most peers one status report may name. */
    static final int MAX_REPORTED_PEERS = 10_000;

    static final int MAX_REPORTED_RELAYS = 256;

    private static final SecureRandom RANDOM = new SecureRandom();

    record CreateNetwork(String networkId, String ipv6Prefix, String ipv4Range) {}

    record CreateToken(String role, Integer uses, String expiresIn, String name) {}

    /**
     * A host's join. {@code requireRole} (optional): the role the host must get, or the join is refused
     * without spending the token ({@code provisioner mesh bridge} sends "bridge").
     */
    record JoinRequest(String token, String publicKey, String hostname, String endpoint, String requireRole) {}

    /**
     * One peer as the reporting agent sees it ({@code wg show <if> dump}).
     *
     * @param endpoint where it sends the peer's datagrams now (WireGuard's endpoint for the peer)
     * @param rttMillis the round trip of its latest probe of the peer's overlay address, if answered
     */
    record PeerStatus(
            String publicKey, JsonNode lastHandshake, Long rxBytes, Long txBytes, String endpoint, Double rttMillis) {}

    /** A relay's report of where a port's node sends from (that node's NAT mapping towards the port). */
    record Observed(Integer port, String endpoint) {}

    /**
     * What an agent measured of one relay: the round trip of its probe, or null when it did not answer.
     */
    record RelayRtt(Long nodeId, Double rttMillis) {}

    /**
     * A status report.
     *
     * @param directPaths whether the agent tries direct paths to peers behind NAT (the Java agent does)
     * @param observed a relay's only: where each of its ports' nodes send from
     * @param relays what the agent measured of the network's relays (agents that measure send every
     *     relay each time; the nearest carries its pairs)
     */
    record StatusReport(
            String endpoint,
            List<PeerStatus> peers,
            Boolean directPaths,
            List<Observed> observed,
            List<RelayRtt> relays) {}

    /**
     * The answer to a status report.
     *
     * @param endpointChanged whether the report's endpoint differed from the stored one (peers then
     *     get the node as updated in their next delta)
     * @param unknownPeers reported public keys that are no node of the network (left alone)
     */
    record StatusAnswer(
            long nodeId, Instant lastContact, boolean endpointChanged, int peersRecorded, List<String> unknownPeers) {}

    record KubeconfigUploaded(String networkId, long uploadedBy, Instant uploadedAt, int length) {}

    record RevokedJoinToken(
            @com.fasterxml.jackson.annotation.JsonUnwrapped JoinToken token, List<Long> removedNodes) {}

    private final MeshNetworkStore networks;
    private final MeshTokenStore tokens;
    private final MeshNodeStore nodes;
    private final MeshSettings settings;
    private final TransactionTemplate transactions;
    private final MeshRelays relays;

    MeshService(
            MeshNetworkStore networks,
            MeshTokenStore tokens,
            MeshNodeStore nodes,
            MeshSettings settings,
            TransactionTemplate transactions,
            MeshRelays relays) {
        this.relays = relays;
        this.networks = networks;
        this.tokens = tokens;
        this.nodes = nodes;
        this.settings = settings;
        this.transactions = transactions;
    }

    /**
     * Creates a network. A given prefix or range must not overlap another network's (a host in both
     * would not know where to route); a generated prefix is drawn again in the unlikely case it does.
     */
    public MeshNetwork createNetwork(CreateNetwork request) {
        if (request == null) {
            throw ProblemException.invalid(
                    "the body must be {\"networkId\": \"...\"}, optionally with ipv6Prefix" + " and ipv4Range");
        }
        String networkId = MeshRules.requireNetworkId("networkId", request.networkId());
        List<MeshNetwork> existing = allNetworks();
        UlaPrefix prefix;
        if (request.ipv6Prefix() == null) {
            do {
                prefix = UlaPrefix.generate(RANDOM);
            } while (overlapsPrefix(existing, prefix) != null);
        } else {
            prefix = UlaPrefix.parse("ipv6Prefix", request.ipv6Prefix());
            MeshNetwork other = overlapsPrefix(existing, prefix);
            if (other != null) {
                throw ProblemException.conflict("'ipv6Prefix' " + prefix + " overlaps " + other.ipv6Prefix()
                        + " of mesh network '" + other.networkId() + "'; leave it out to get a random one");
            }
        }
        Ipv4Range range = null;
        if (request.ipv4Range() != null) {
            range = Ipv4Range.parse("ipv4Range", request.ipv4Range());
            for (MeshNetwork other : existing) {
                if (other.range() != null && other.range().overlaps(range)) {
                    throw ProblemException.conflict("'ipv4Range' " + range + " overlaps " + other.ipv4Range()
                            + " of mesh network '" + other.networkId() + "'");
                }
            }
        }
        return networks.create(networkId, prefix, range);
    }

    private List<MeshNetwork> allNetworks() {
        return networks.all();
    }

    private static MeshNetwork overlapsPrefix(List<MeshNetwork> existing, UlaPrefix prefix) {
        return existing.stream()
                .filter(n -> n.prefix().overlaps(prefix))
                .findFirst()
                .orElse(null);
    }

    public CreatedJoinToken createToken(String networkId, CreateToken request) {
        MeshNetwork network = networks.get(networkId);
        CreateToken body = request == null ? new CreateToken(null, null, null, null) : request;
        TokenRole role = TokenRole.parse("role", body.role());
        int uses = MeshRules.requireUses("uses", body.uses());
        var lifetime = MeshRules.parseLifetime("expiresIn", body.expiresIn());
        StorableText.require("name", body.name());
        if (body.name() != null && body.name().length() > 200) {
            throw ProblemException.invalid("'name' must be at most 200 characters");
        }
        return tokens.create(network, body.name(), role, uses, lifetime);
    }

    /** Revokes the token; with {@code removeNodes} also removes every node it admitted. */
    public RevokedJoinToken revokeToken(String networkId, long tokenId, boolean removeNodes) {
        MeshNetwork network = networks.get(networkId);
        JoinToken token = tokens.revoke(network, tokenId);
        List<Long> removed = new ArrayList<>();
        if (removeNodes) {
            for (long nodeId : nodes.admittedBy(tokenId)) {
                if (removeIfPresent(network, nodeId)) {
                    removed.add(nodeId);
                }
            }
        }
        return new RevokedJoinToken(token, List.copyOf(removed));
    }

    /**
     * A host joins: one transaction takes a use of the token ({@code UPDATE ... WHERE uses_left > 0
     * AND revoked_at IS NULL AND expires_at > now}, row count checked), then the network's lock, the
     * next sequence number and version, chooses the role, stores the node and logs its arrival. Any
     * refusal on the way rolls it all back, so a refused join does not use up the token.
     */
    public JoinAnswer join(JoinRequest request) {
        if (request == null || request.token() == null || request.token().isBlank()) {
            throw ProblemException.invalid("'token' is required: the join token (" + TokenKind.MESH_JOIN.placeholder()
                    + ") an operator created with POST /api/mesh/networks/{networkId}/tokens");
        }
        String presented = StorableText.require("token", request.token().trim());
        String publicKey = WireguardKeys.requirePublicKey("publicKey", request.publicKey());
        String hostname = MeshRules.requireHostname("hostname", request.hostname());
        String endpoint = MeshRules.endpointOrNull("endpoint", request.endpoint());
        NodeRole required = request.requireRole() == null
                ? null
                : NodeRole.fromWireName(request.requireRole())
                        .orElseThrow(() -> ProblemException.invalid("'requireRole' must be one of " + NodeRole.known()
                                + ", got '" + request.requireRole() + "'"));
        MeshTokenStore.Stored stored = tokens.find(presented).orElseThrow(MeshTokenStore::unknown);
        String nodeToken = TokenKind.MESH_NODE.generate();
        try {
            return transactions.execute(status -> {
                long tokenId = stored.token().id();
                if (!tokens.consume(tokenId)) {
                    throw tokens.refusal(tokenId, stored.token().prefix());
                }
                long pk = stored.networkPk();
                MeshNetworkStore.Allocation allocation = networks.allocate(pk);
                MeshNetwork network = networks.byPk(pk).orElseThrow();
                nodes.withPublicKey(pk, publicKey).ifPresent(other -> {
                    throw duplicateKey(network.networkId(), other);
                });
                NodeRole role = TokenRole.parse("role", stored.token().role()).resolve(nodes.hasMaster(pk));
                if (required != null && role != required) {
                    throw ProblemException.conflict("this token gives the role " + role.wireName() + ", not "
                            + required.wireName() + "; it was not used: ask for a token with role "
                            + required.wireName() + " (POST /api/mesh/networks/" + network.networkId() + "/tokens)");
                }
                if (role == NodeRole.RELAY && endpoint == null) {
                    throw ProblemException.invalid("a relay needs 'endpoint': the public ip:port its nodes send"
                            + " to (its pairs get the ports above it); the token was not used");
                }
                String ipv4 = null;
                Ipv4Range range = network.range();
                if (range != null) {
                    if (!range.holds(allocation.sequence())) {
                        throw ProblemException.conflict("mesh network '" + network.networkId()
                                + "' has given out all " + range.capacity() + " addresses of its IPv4 range " + range
                                + " (addresses are never reused): create a new network for more nodes");
                    }
                    ipv4 = range.nodeAddress(allocation.sequence());
                }
                String address = network.prefix().nodeAddress(allocation.sequence());
                long nodeId = nodes.insert(new MeshNodeStore.NewNode(
                        pk,
                        allocation.sequence(),
                        hostname,
                        publicKey,
                        address,
                        ipv4,
                        endpoint,
                        role.wireName(),
                        tokenId,
                        ApiTokens.prefixOf(nodeToken),
                        ApiTokens.hash(nodeToken)));
                networks.logChange(pk, allocation.version(), nodeId, "added");
                List<MeshNode> members = nodes.ofNetwork(pk);
                Set<Long> relayed = relays.assign(pk, members);
                long version = allocation.version();
                if (role == NodeRole.RELAY) {
                    // Every relayed pair now goes through it: their peers' entries of them change.
                    for (long changed : relayed) {
                        version = networks.nextVersion(pk);
                        networks.logChange(pk, version, changed, "updated");
                    }
                }
                MeshRelays.View view = relays.view(pk);
                List<Peer> peers = members.stream()
                        .filter(node -> node.nodeId() != nodeId && !MeshRelays.isRelay(node))
                        .map(node -> MeshPeerMaps.seenBy(node, nodeId, view))
                        .toList();
                return new JoinAnswer(
                        nodeId,
                        network.networkId(),
                        hostname,
                        role.wireName(),
                        address,
                        ipv4,
                        network.ipv6Prefix(),
                        network.nodeSubnet(),
                        network.ipv4Range(),
                        settings.listenPort(),
                        nodeToken,
                        version,
                        peers,
                        view.relays());
            });
        } catch (DuplicateKeyException raced) {
            throw ProblemException.conflict("this public key joined the network at the same moment through another"
                    + " request: generate a new key pair with wg genkey, or remove that node first");
        }
    }

    private static ProblemException duplicateKey(String networkId, long nodeId) {
        return ProblemException.conflict("this public key has joined mesh network '" + networkId + "' already as node "
                + nodeId + ": generate a new key pair (wg genkey) for another host, or remove node " + nodeId
                + " first (DELETE /api/mesh/networks/" + networkId + "/nodes/" + nodeId + ")");
    }

    /** Removes the node: its token stops working with the commit, and every peer's next delta removes it. */
    public void removeNode(String networkId, long nodeId) {
        MeshNetwork network = networks.get(networkId);
        if (!removeIfPresent(network, nodeId)) {
            throw ProblemException.notFound("mesh network '" + networkId + "' has no node " + nodeId);
        }
    }

    private boolean removeIfPresent(MeshNetwork network, long nodeId) {
        Boolean removed = transactions.execute(status -> {
            if (nodes.find(nodeId).filter(n -> n.networkPk() == network.pk()).isEmpty()) {
                return false;
            }
            long version = networks.nextVersion(network.pk());
            List<Long> relayedThroughIt = relays.relayedBy(nodeId);
            if (!nodes.delete(nodeId)) {
                status.setRollbackOnly();
                return false;
            }
            networks.logChange(network.pk(), version, nodeId, "removed");
            // A relay gone: the pairs it relayed go through the next relay, or have no path.
            for (long changed : relayedThroughIt) {
                networks.logChange(network.pk(), networks.nextVersion(network.pk()), changed, "updated");
            }
            return true;
        });
        return Boolean.TRUE.equals(removed);
    }

    /**
     * A node's agent reports its endpoint and what it sees of its peers ({@code wg show <if> dump}).
     * Counts as a contact; a new endpoint is a change of the peer map.
     */
    public StatusAnswer report(MeshNodeAuthentication node, StatusReport report) {
        if (report == null) {
            throw ProblemException.invalid("the body must be {\"endpoint\": \"ip:port\", \"peers\": [...]}");
        }
        String endpoint = MeshRules.endpointOrNull("endpoint", report.endpoint());
        List<PeerStatus> reported = report.peers() == null ? List.of() : report.peers();
        if (reported.size() > MAX_REPORTED_PEERS) {
            throw ProblemException.invalid(
                    "'peers' may name at most " + MAX_REPORTED_PEERS + " peers, got " + reported.size());
        }
        record Checked(
                String publicKey, Instant lastHandshake, long rxBytes, long txBytes, String endpoint, Long rttMicros) {}
        List<Checked> checked = new ArrayList<>();
        for (int i = 0; i < reported.size(); i++) {
            PeerStatus peer = reported.get(i);
            String field = "peers[" + i + "]";
            if (peer == null) {
                throw ProblemException.invalid("'" + field + "' must be an object with publicKey");
            }
            checked.add(new Checked(
                    WireguardKeys.requirePublicKey(field + ".publicKey", peer.publicKey()),
                    handshake(field + ".lastHandshake", peer.lastHandshake()),
                    bytes(field + ".rxBytes", peer.rxBytes()),
                    bytes(field + ".txBytes", peer.txBytes()),
                    MeshRules.endpointOrNull(field + ".endpoint", peer.endpoint()),
                    rtt(field + ".rttMillis", peer.rttMillis())));
        }
        Map<Integer, String> observed = observed(node, report.observed());
        Map<String, Long> ids = nodes.idsByPublicKey(
                node.networkPk(), checked.stream().map(Checked::publicKey).toList());
        List<MeshNodeStore.Sighting> sightings = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Checked peer : checked) {
            Long peerId = ids.get(peer.publicKey());
            if (peerId == null) {
                unknown.add(peer.publicKey());
            } else if (peerId != node.nodeId()) {
                sightings.add(new MeshNodeStore.Sighting(
                        peerId,
                        peer.lastHandshake(),
                        peer.rxBytes(),
                        peer.txBytes(),
                        peer.endpoint(),
                        peer.rttMicros()));
            }
        }
        Instant contact = nodes.touch(node.nodeId());
        boolean changed = endpoint != null && changeEndpoint(node, endpoint);
        nodes.recordSightings(node.nodeId(), sightings);
        if (report.directPaths() != null || !observed.isEmpty()) {
            // One transaction: a candidate that changed has its change logged, or neither happened.
            transactions.executeWithoutResult(status -> {
                Set<Long> candidates = new java.util.TreeSet<>();
                if (report.directPaths() != null) {
                    candidates.addAll(relays.tryDirectPaths(node.networkPk(), node.nodeId(), report.directPaths()));
                }
                candidates.addAll(relays.observe(node.networkPk(), node.nodeId(), observed));
                logCandidates(node, candidates);
            });
        }
        if (report.relays() != null) {
            measured(node, relayRtts(node, report.relays()));
        }
        return new StatusAnswer(node.nodeId(), contact, changed, sightings.size(), List.copyOf(unknown));
    }

    /**
     * Stores what a node measured of its relays and, when that changed enough and there is a choice,
     * chooses its pairs' relays again; pairs that move are changes of both nodes' entries.
     */
    private void measured(MeshNodeAuthentication node, Map<Long, Long> rtts) {
        Boolean changed = transactions.execute(status -> relays.measure(node.nodeId(), rtts));
        if (!Boolean.TRUE.equals(changed) || !relays.hasChoice(node.networkPk())) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            networks.lock(node.networkPk());
            for (long moved : relays.rechoose(node.networkPk(), node.nodeId())) {
                networks.logChange(node.networkPk(), networks.nextVersion(node.networkPk()), moved, "updated");
            }
        });
    }

    /** Checks a report's relay measurements: relays of the node's network, each once; only nodes that use relays. */
    private Map<Long, Long> relayRtts(MeshNodeAuthentication node, List<RelayRtt> reported) {
        if (NodeRole.RELAY.wireName().equals(node.role())) {
            throw ProblemException.invalid("a relay reports no 'relays': only the nodes it relays for measure relays");
        }
        if (reported.size() > MAX_REPORTED_RELAYS) {
            throw ProblemException.invalid(
                    "'relays' may name at most " + MAX_REPORTED_RELAYS + " relays, got " + reported.size());
        }
        Set<Long> known = relays.relayIds(node.networkPk());
        Map<Long, Long> rtts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < reported.size(); i++) {
            RelayRtt r = reported.get(i);
            String field = "relays[" + i + "]";
            if (r == null || r.nodeId() == null) {
                throw ProblemException.invalid("'" + field + "' must be {\"nodeId\": a relay's node id, \"rttMillis\":"
                        + " the probe's round trip, or null when it did not answer}");
            }
            if (!known.contains(r.nodeId())) {
                throw ProblemException.invalid("'" + field + ".nodeId' " + r.nodeId() + " is no relay of this network"
                        + " (its relays: " + known + ")");
            }
            if (rtts.containsKey(r.nodeId())) {
                throw ProblemException.invalid("'" + field + "' names relay " + r.nodeId() + " a second time");
            }
            rtts.put(r.nodeId(), rtt(field + ".rttMillis", r.rttMillis()));
        }
        return rtts;
    }

    /**
     * Marks relays down whose agents have not been in contact since {@code cutoff}, and up again those
     * that have: the pairs they relay see each other at the next relay that is up (a change of their
     * peer maps). Answers the relays marked.
     */
    public List<Long> checkRelays(Instant cutoff) {
        List<Long> marked = new ArrayList<>();
        for (boolean down : List.of(true, false)) {
            for (MeshRelays.Relay relay : relays.toMark(cutoff, down)) {
                Boolean changed = transactions.execute(status -> {
                    long version = networks.nextVersion(relay.networkPk());
                    if (!relays.mark(relay.relayId(), down)) {
                        status.setRollbackOnly();
                        return false;
                    }
                    networks.logChange(relay.networkPk(), version, relay.relayId(), "updated");
                    // Its pairs go through the nearest relay that is up now (or back to it, if nearer).
                    Set<Long> touched = new java.util.TreeSet<>(relays.relayedBy(relay.relayId()));
                    touched.addAll(relays.rechoose(relay.networkPk(), null));
                    for (long node : touched) {
                        networks.logChange(relay.networkPk(), networks.nextVersion(relay.networkPk()), node, "updated");
                    }
                    return true;
                });
                if (Boolean.TRUE.equals(changed)) {
                    marked.add(relay.relayId());
                }
            }
        }
        return marked;
    }

    /** Checks a relay's observations: ports 1 to 65535, each once, each with an ip:port; only relays send them. */
    private static Map<Integer, String> observed(MeshNodeAuthentication node, List<Observed> observed) {
        if (observed == null || observed.isEmpty()) {
            return Map.of();
        }
        if (!NodeRole.RELAY.wireName().equals(node.role())) {
            throw forbidden("only a relay reports 'observed' (where its ports' nodes send from); node " + node.nodeId()
                    + " is a " + node.role());
        }
        if (observed.size() > 2 * MAX_REPORTED_PEERS) {
            throw ProblemException.invalid(
                    "'observed' may name at most " + 2 * MAX_REPORTED_PEERS + " ports, got " + observed.size());
        }
        Map<Integer, String> checked = new java.util.TreeMap<>();
        for (int i = 0; i < observed.size(); i++) {
            Observed o = observed.get(i);
            String field = "observed[" + i + "]";
            if (o == null || o.port() == null || o.port() < 1 || o.port() > 65_535 || o.endpoint() == null) {
                throw ProblemException.invalid(
                        "'" + field + "' must be {\"port\": 1 to 65535, \"endpoint\": \"ip:port\"}");
            }
            if (checked.put(o.port(), MeshRules.endpointOrNull(field + ".endpoint", o.endpoint())) != null) {
                throw ProblemException.invalid("'" + field + "' names port " + o.port() + " a second time");
            }
        }
        return checked;
    }

    /**
     * Nodes whose candidate for direct paths changed: their peers see them anew, and they see their
     * relayed partners anew (whose candidates they may now be given).
     */
    private void logCandidates(MeshNodeAuthentication node, Set<Long> changed) {
        if (changed.isEmpty()) {
            return;
        }
        Set<Long> touched = new java.util.TreeSet<>(changed);
        for (long id : changed) {
            touched.addAll(relays.partnersOf(id));
        }
        for (long id : touched) {
            networks.logChange(node.networkPk(), networks.nextVersion(node.networkPk()), id, "updated");
        }
    }

    private static Long rtt(String field, Double millis) {
        if (millis == null) {
            return null;
        }
        if (millis.isNaN() || millis < 0 || millis > 600_000) {
            throw ProblemException.invalid("'" + field + "' must be milliseconds from 0 to 600000, got " + millis);
        }
        return Math.round(millis * 1000);
    }

    private boolean changeEndpoint(MeshNodeAuthentication node, String endpoint) {
        if (nodes.endpoint(node.nodeId()).filter(endpoint::equals).isPresent()) {
            return false;
        }
        Boolean changed = transactions.execute(status -> {
            long version = networks.nextVersion(node.networkPk());
            List<Long> partners = relays.partnersOf(node.nodeId());
            if (!nodes.updateEndpoint(node.nodeId(), endpoint)) {
                status.setRollbackOnly();
                return false;
            }
            networks.logChange(node.networkPk(), version, node.nodeId(), "updated");
            // Reachable at its endpoint now: its pairs are no longer relayed, so it sees its partners anew.
            if (relays.release(node.nodeId())) {
                for (long partner : partners) {
                    networks.logChange(node.networkPk(), networks.nextVersion(node.networkPk()), partner, "updated");
                }
            }
            return true;
        });
        return Boolean.TRUE.equals(changed);
    }

    private static Instant handshake(String field, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
            return value.asLong() == 0 ? null : Instant.ofEpochSecond(value.asLong());
        }
        if (value.isTextual()) {
            try {
                return Instant.parse(value.asText());
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        throw ProblemException.invalid("'" + field + "' must be Unix seconds as wg show dump prints them (0: never)"
                + " or an ISO-8601 instant such as 2026-01-01T12:00:00Z, got " + value);
    }

    private static long bytes(String field, Long value) {
        if (value == null) {
            return 0;
        }
        if (value < 0) {
            throw ProblemException.invalid("'" + field + "' must be 0 or more, got " + value);
        }
        return value;
    }

    /** A master node stores the kubeconfig of its network's cluster; operators download it. */
    public KubeconfigUploaded uploadKubeconfig(MeshNodeAuthentication node, String networkId, String text) {
        MeshNetwork network = networks.get(networkId);
        if (node.networkPk() != network.pk()) {
            throw forbidden("this node token belongs to a node of mesh network '" + node.networkId() + "', not '"
                    + networkId + "'");
        }
        if (!NodeRole.MASTER.wireName().equals(node.role())) {
            throw forbidden(
                    "only a master node may upload the kubeconfig; node " + node.nodeId() + " is a " + node.role());
        }
        if (text == null || text.isBlank()) {
            throw ProblemException.invalid("the body must be the kubeconfig itself, e.g. curl -X PUT --data-binary"
                    + " @/etc/rancher/k3s/k3s.yaml");
        }
        StorableText.require("kubeconfig", text);
        Instant at = networks.putKubeconfig(network.pk(), node.nodeId(), text);
        nodes.touch(node.nodeId());
        return new KubeconfigUploaded(networkId, node.nodeId(), at, text.length());
    }

    static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }
}
