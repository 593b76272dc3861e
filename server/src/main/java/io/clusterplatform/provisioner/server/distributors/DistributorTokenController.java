package io.clusterplatform.provisioner.server.distributors;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Enrollment tokens of distributors: create (shown once), list (prefixes only), revoke. */
@RestController
@RequestMapping("/api/distributors/tokens")
@Tag(name = "distributors", description = "Distributors: LAN agents serving PXE, and their enrollment tokens")
class DistributorTokenController {
    record CreateRequest(String artifactId, String name) {}

    private final DistributorTokenService tokens;

    DistributorTokenController(DistributorTokenService tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    @Operation(summary = "Create an enrollment token bound to an artifactId; the answer is the only time it is shown")
    ResponseEntity<CreatedDistributorToken> create(@RequestBody CreateRequest request) {
        CreatedDistributorToken created = tokens.create(request.artifactId(), request.name());
        return ResponseEntity.created(URI.create("/api/distributors/tokens/" + created.id()))
                .body(created);
    }

    @GetMapping
    @Operation(summary = "List enrollment tokens (prefix, artifactId, times; never the token)")
    List<DistributorToken> list() {
        return tokens.list();
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an enrollment token; its distributor is refused with 401 from then on")
    DistributorToken revoke(@PathVariable long id) {
        return tokens.revoke(id);
    }
}
