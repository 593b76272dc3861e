package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.MeshRules;
import io.clusterplatform.provisioner.core.mesh.NodeRole;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Hosts' side of the mesh: the join (authenticated by the join token in the body) and the node
 * agent's calls with its node token (peer-map long poll, status reports).
 */
@RestController
@RequestMapping(path = "/api/mesh", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "mesh", description = "Globalnodes: WireGuard mesh networks, join tokens, nodes and peer maps")
class MeshNodeController {
    private final MeshService mesh;
    private final MeshPeerMaps maps;

    MeshNodeController(MeshService mesh, MeshPeerMaps maps) {
        this.mesh = mesh;
        this.maps = maps;
    }

    @PostMapping("/join")
    @Operation(
            summary = "A host joins with {token, publicKey, hostname, endpoint (optional ip:port)}: no operator token;"
                    + " the join token goes in the body. 201 with its addresses, node token (shown once) and peers")
    ResponseEntity<JoinAnswer> join(@RequestBody(required = false) MeshService.JoinRequest request) {
        JoinAnswer answer = mesh.join(request);
        return ResponseEntity.created(
                        URI.create("/api/mesh/networks/" + answer.networkId() + "/nodes/" + answer.nodeId()))
                .body(answer);
    }

    /** The join for the shell agent: {@code key=value} lines (no quoting needed: ids, addresses, tokens). */
    @PostMapping(path = "/join", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The join with Accept: text/plain: the answer as key=value lines, for the shell agent")
    ResponseEntity<String> joinText(@RequestBody(required = false) MeshService.JoinRequest request) {
        ResponseEntity<JoinAnswer> joined = join(request);
        JoinAnswer a = joined.getBody();
        StringBuilder text = new StringBuilder();
        line(text, "nodeId", a.nodeId());
        line(text, "networkId", a.networkId());
        line(text, "hostname", a.hostname());
        line(text, "role", a.role());
        line(text, "address", a.address());
        line(text, "ipv4", a.ipv4());
        line(text, "nodeSubnet", a.nodeSubnet());
        line(text, "ipv4Range", a.ipv4Range());
        line(text, "listenPort", a.listenPort());
        line(text, "nodeToken", a.nodeToken());
        line(text, "version", a.version());
        return ResponseEntity.status(joined.getStatusCode())
                .headers(joined.getHeaders())
                .contentType(MediaType.TEXT_PLAIN)
                .body(text.toString());
    }

    private static void line(StringBuilder text, String key, Object value) {
        text.append(key).append('=').append(value == null ? "" : value).append('\n');
    }

    /**
     * The peer map for the shell agent, as {@code [Peer]} sections for {@code wg syncconf}: always the
     * whole map (at its version, in a {@code # version N} comment), sent once something changed after
     * {@code since}; 204 as for JSON.
     */
    @GetMapping(path = "/nodes/{nodeId}/peers", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(
            summary = "Node: long-poll its peer map with Accept: text/plain: the full map as wg [Peer] sections"
                    + " (# version N first) once something changed after since; 204 when nothing did")
    ResponseEntity<String> peersText(
            @PathVariable long nodeId,
            @RequestParam(required = false) Long since,
            @RequestParam(required = false) String wait)
            throws InterruptedException {
        MeshNodeAuthentication node = own(nodeId);
        if (since != null && maps.poll(node, since, MeshRules.parseWait(wait)).isEmpty()) {
            return ResponseEntity.noContent().build();
        }
        PeerMap.Full full =
                (PeerMap.Full) maps.poll(node, null, java.time.Duration.ZERO).orElseThrow();
        StringBuilder text = new StringBuilder("# version " + full.version() + "\n");
        for (Peer peer : full.peers()) {
            text.append("\n[Peer]\n# node ")
                    .append(peer.nodeId())
                    .append(' ')
                    .append(peer.hostname())
                    .append('\n');
            text.append("PublicKey = ").append(peer.publicKey()).append('\n');
            text.append("AllowedIPs = ")
                    .append(String.join(", ", peer.allowedIps()))
                    .append('\n');
            if (peer.relayed()) {
                text.append("# relayed: the endpoint is a relay's port for this pair\n");
            }
            if (peer.endpoint() != null) {
                text.append("Endpoint = ").append(peer.endpoint()).append('\n');
            }
            text.append("PersistentKeepalive = 25\n");
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(text.toString());
    }

    @GetMapping("/nodes/{nodeId}/peers")
    @Operation(
            summary = "Node: long-poll its peer map. Without since: the full map {version, full: true, peers}. With"
                    + " since: the delta {version, full: false, added, updated, removed} once something changed"
                    + " (coalesced over 200 ms), 204 when nothing did within wait (default 25s, at most 30s)")
    ResponseEntity<PeerMap> peers(
            @PathVariable long nodeId,
            @RequestParam(required = false) Long since,
            @RequestParam(required = false) String wait)
            throws InterruptedException {
        MeshNodeAuthentication node = own(nodeId);
        Optional<PeerMap> map = maps.poll(node, since, MeshRules.parseWait(wait));
        return map.map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @GetMapping("/nodes/{nodeId}/relay")
    @Operation(
            summary = "Relay: long-poll the pairs it forwards, {version, pairs: [{portA, keyA, nodeA, portB, keyB,"
                    + " nodeB}]}: all of them, at once without since, else once something changed after since"
                    + " (204 when nothing did within wait)")
    ResponseEntity<MeshPeerMaps.RelayMap> relay(
            @PathVariable long nodeId,
            @RequestParam(required = false) Long since,
            @RequestParam(required = false) String wait)
            throws InterruptedException {
        MeshNodeAuthentication node = own(nodeId);
        if (!NodeRole.RELAY.wireName().equals(node.role())) {
            throw MeshService.forbidden("node " + nodeId + " is a " + node.role() + ", not a relay: it polls its peer"
                    + " map (GET /api/mesh/nodes/" + nodeId + "/peers) instead");
        }
        if (since != null && maps.poll(node, since, MeshRules.parseWait(wait)).isEmpty()) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok(maps.relayMap(node));
    }

    @PostMapping("/nodes/{nodeId}/status")
    @Operation(
            summary = "Node: report {endpoint, peers: [{publicKey, lastHandshake, rxBytes, txBytes}]}; counts as"
                    + " contact, a new endpoint reaches the peers as an update")
    MeshService.StatusAnswer status(
            @PathVariable long nodeId, @RequestBody(required = false) MeshService.StatusReport report) {
        return mesh.report(own(nodeId), report);
    }

    private static MeshNodeAuthentication own(long nodeId) {
        MeshNodeAuthentication node = MeshNodeAuthentication.current()
                .orElseThrow(() -> MeshService.forbidden("only the node's own node token may do this"));
        if (node.nodeId() != nodeId) {
            throw MeshService.forbidden("this node token belongs to node " + node.nodeId() + ", not " + nodeId);
        }
        return node;
    }
}
