package io.clusterplatform.provisioner.server.mesh;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Localnode to globalnode in one call (see {@link MeshLocalnodeJoins}). */
@RestController
@Tag(name = "mesh")
class MeshLocalnodeController {
    private final MeshLocalnodeJoins joins;

    MeshLocalnodeController(MeshLocalnodeJoins joins) {
        this.joins = joins;
    }

    @PostMapping(
            path = "/api/mesh/networks/{networkId}/localnodes/{nodeId}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Join a localnode to the network: a single-use join token and a script run through its"
                    + " distributor that installs and starts the shell agent; {role?, endpoint?, privateKey?} (endpoint:"
                    + " the address peers reach it at, default the node's ip; privateKey: the SSH key to reach the"
                    + " node with, kept for this run only, default the site's newest in /api/sshkeys); 202 with"
                    + " the run, which succeeds once the agent's first status report reached the server")
    ResponseEntity<MeshLocalnodeJoins.Joining> join(
            @PathVariable String networkId,
            @PathVariable long nodeId,
            @RequestBody(required = false) MeshLocalnodeJoins.JoinLocalnode body) {
        MeshLocalnodeJoins.Joining joining = joins.join(
                networkId, nodeId, body == null ? new MeshLocalnodeJoins.JoinLocalnode(null, null, null) : body);
        return ResponseEntity.accepted()
                .location(URI.create("/api/scriptruns/" + joining.run().id()))
                .body(joining);
    }
}
