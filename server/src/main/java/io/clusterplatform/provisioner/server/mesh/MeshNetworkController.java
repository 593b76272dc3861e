package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' side of the mesh: networks, their join tokens, their nodes (health, removal) and the
 * kubeconfig a master uploaded. The kubeconfig upload itself is the master node's call (node token).
 */
@RestController
@RequestMapping(path = "/api/mesh/networks", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "mesh", description = "Globalnodes: WireGuard mesh networks, join tokens, nodes and peer maps")
class MeshNetworkController {
    private final MeshService mesh;
    private final MeshNetworkStore networks;
    private final MeshTokenStore tokens;
    private final MeshNodeStore nodes;
    private final MeshPaths paths;
    private final MeshRelays relays;

    MeshNetworkController(
            MeshService mesh,
            MeshNetworkStore networks,
            MeshTokenStore tokens,
            MeshNodeStore nodes,
            MeshPaths paths,
            MeshRelays relays) {
        this.mesh = mesh;
        this.relays = relays;
        this.paths = paths;
        this.networks = networks;
        this.tokens = tokens;
        this.nodes = nodes;
    }

    @PostMapping
    @Operation(
            summary = "Create a network: {networkId, ipv6Prefix (optional: a random ULA /48), ipv4Range (optional:"
                    + " a private CIDR block)}")
    ResponseEntity<MeshNetwork> create(@RequestBody(required = false) MeshService.CreateNetwork request) {
        MeshNetwork network = mesh.createNetwork(request);
        return ResponseEntity.created(URI.create("/api/mesh/networks/" + network.networkId()))
                .body(network);
    }

    @GetMapping
    @Operation(summary = "List networks: {rows, total, page, pageSize, totalPages}")
    Page<MeshNetwork> list(@ParameterObject ListRequest request) {
        return networks.list(request);
    }

    @GetMapping("/{networkId}")
    MeshNetwork get(@PathVariable String networkId) {
        return networks.get(networkId);
    }

    @DeleteMapping("/{networkId}")
    @Operation(summary = "Delete a network with its tokens and nodes; the nodes' tokens stop working")
    ResponseEntity<Void> delete(@PathVariable String networkId) {
        networks.delete(networkId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{networkId}/tokens")
    @Operation(
            summary = "Create a join token {role: auto|master|worker|bridge, uses (1), expiresIn (24h), name}; the"
                    + " answer is the only time the token is shown")
    ResponseEntity<CreatedJoinToken> createToken(
            @PathVariable String networkId, @RequestBody(required = false) MeshService.CreateToken request) {
        CreatedJoinToken created = mesh.createToken(networkId, request);
        return ResponseEntity.created(URI.create("/api/mesh/networks/" + networkId + "/tokens/" + created.id()))
                .body(created);
    }

    @GetMapping("/{networkId}/tokens")
    @Operation(summary = "List join tokens (prefix, role, usesLeft, expiresAt, revokedAt, state; never the token)")
    List<JoinToken> tokens(@PathVariable String networkId) {
        return tokens.list(networks.get(networkId));
    }

    @GetMapping("/{networkId}/tokens/{id}")
    JoinToken token(@PathVariable String networkId, @PathVariable long id) {
        return tokens.get(networks.get(networkId), id);
    }

    @DeleteMapping("/{networkId}/tokens/{id}")
    @Operation(
            summary = "Revoke a join token: it admits no more hosts. With removeNodes=true also remove every node"
                    + " it admitted")
    MeshService.RevokedJoinToken revoke(
            @PathVariable String networkId,
            @PathVariable long id,
            @RequestParam(defaultValue = "false") boolean removeNodes) {
        return mesh.revokeToken(networkId, id, removeNodes);
    }

    @GetMapping("/{networkId}/nodes")
    @Operation(
            summary = "List nodes with address, role, lastContact, lastHandshake, health (green: contact within"
                    + " 60 s and a handshake within 3 min, yellow: 5 min, red: later, unknown: never) and the path"
                    + " to each peer (direct, relayed via a relay, or none with the reason):"
                    + " {rows, total, page, pageSize, totalPages}")
    Page<MeshPaths.NodeWithPaths> nodes(@PathVariable String networkId, @ParameterObject ListRequest request) {
        MeshNetwork network = networks.get(networkId);
        Page<MeshNode> page = nodes.list(network.pk(), request);
        return new Page<>(paths.withPaths(page.rows()), page.total(), page.page(), page.pageSize(), page.totalPages());
    }

    @GetMapping("/{networkId}/nodes/{nodeId}")
    @Operation(
            summary = "One node, with what its peers reported about it (seenBy), it about them (sees), and the path"
                    + " it uses to each (paths)")
    MeshNodeDetail node(@PathVariable String networkId, @PathVariable long nodeId) {
        MeshNode node = node(networks.get(networkId), nodeId);
        return new MeshNodeDetail(
                node, nodes.seenBy(nodeId), nodes.sees(nodeId), paths.from(nodeId), relays.measuredBy(nodeId));
    }

    @DeleteMapping("/{networkId}/nodes/{nodeId}")
    @Operation(
            summary = "Remove a node: its node token stops working at once, every peer's next delta removes it,"
                    + " and its addresses are never given out again")
    ResponseEntity<Void> removeNode(@PathVariable String networkId, @PathVariable long nodeId) {
        mesh.removeNode(networkId, nodeId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/{networkId}/kubeconfig", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The kubeconfig the network's master uploaded (operators only)")
    String kubeconfig(@PathVariable String networkId) {
        MeshNetwork network = networks.get(networkId);
        return networks.kubeconfig(network.pk())
                .orElseThrow(() -> ProblemException.notFound("mesh network '" + networkId
                        + "' has no kubeconfig yet: its master node uploads it with PUT /api/mesh/networks/"
                        + networkId + "/kubeconfig"));
    }

    @PutMapping(path = "/{networkId}/kubeconfig", consumes = MediaType.ALL_VALUE)
    @Operation(
            summary = "A master node (its node token) uploads the kubeconfig as the body; workers, bridges and"
                    + " operators get 403")
    MeshService.KubeconfigUploaded uploadKubeconfig(
            @PathVariable String networkId, @RequestBody(required = false) byte[] kubeconfig) {
        MeshNodeAuthentication node = MeshNodeAuthentication.current()
                .orElseThrow(() -> MeshService.forbidden("only the network's master node uploads the kubeconfig,"
                        + " with its node token; operators download it with GET"));
        return mesh.uploadKubeconfig(node, networkId, kubeconfig == null ? null : utf8("kubeconfig", kubeconfig));
    }

    /** The body as UTF-8, refused (400) when it is not: a replaced byte would corrupt a key silently. */
    static String utf8(String field, byte[] body) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw ProblemException.invalid("'" + field + "' is not UTF-8 text: send the file as it is, in UTF-8");
        }
    }

    private MeshNode node(MeshNetwork network, long nodeId) {
        return nodes.find(nodeId)
                .filter(node -> node.networkPk() == network.pk())
                .orElseThrow(() ->
                        ProblemException.notFound("mesh network '" + network.networkId() + "' has no node " + nodeId));
    }
}
