package io.clusterplatform.provisioner.server.localnodes;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.server.http.ClientAddress;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/localnodes")
@Tag(name = "localnodes", description = "Registered nodes; booting hosts register themselves without a token")
class LocalnodeController {
    private final LocalnodeStore store;
    private final LocalnodeRegistrar registrar;
    private final ClientAddress clientAddress;
    private final RegistrationClaims claims;

    LocalnodeController(
            LocalnodeStore store,
            LocalnodeRegistrar registrar,
            ClientAddress clientAddress,
            RegistrationClaims claims) {
        this.store = store;
        this.registrar = registrar;
        this.clientAddress = clientAddress;
        this.claims = claims;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Register a node with a JSON body {ip?, artifactId, pingable, mac, hostname} (without ip:"
                    + " the request's source address)")
    ResponseEntity<Localnode> registerJson(@RequestBody LocalnodeRegistration body, HttpServletRequest request) {
        return register(body, request);
    }

    /**
     * The original's form: {@code POST /api/localnodes?ip=..&artifactId=..&pingable=true}, with no body or any
     * non-JSON body ({@code wget --post-data ''} sends an empty form; form fields count as parameters).
     */
    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Register a node: ?ip=..&artifactId=..&pingable=true as in the original's postbootscript"
                    + " (or as form fields; without ip, or with it empty: the request's source address). 201 when"
                    + " new, 200 when the (ip, artifactId) was known.")
    ResponseEntity<Localnode> registerParameters(
            @RequestParam(required = false) String ip,
            @RequestParam(required = false) String artifactId,
            @RequestParam(required = false) Boolean pingable,
            @RequestParam(required = false) String mac,
            @RequestParam(required = false) String hostname,
            HttpServletRequest request) {
        return register(new LocalnodeRegistration(ip, artifactId, pingable, mac, hostname), request);
    }

    private ResponseEntity<Localnode> register(LocalnodeRegistration registration, HttpServletRequest request) {
        String source = clientAddress.of(request);
        LocalnodeRegistration claim = registration.fromSourceWithoutIp(source).validated();
        LocalnodeStore.Registered registered = registrar.register(claim, claims.plausible(claim, source));
        if (registered.created()) {
            return ResponseEntity.created(
                            URI.create("/api/localnodes/" + registered.node().id()))
                    .body(registered.node());
        }
        return ResponseEntity.status(HttpStatus.OK).body(registered.node());
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List nodes: {rows, total, page, pageSize, totalPages}")
    Page<Localnode> list(@ParameterObject ListRequest request) {
        return store.list(request);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Localnode get(@PathVariable long id) {
        return store.get(id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        store.delete(id);
        return ResponseEntity.noContent().build();
    }
}
