package io.clusterplatform.provisioner.server.auth;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
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

/** Operator API tokens: create (shown once), list (prefixes only), revoke. */
@RestController
@RequestMapping("/api/tokens")
@Tag(name = "tokens", description = "Operator API tokens")
class TokenController {
    record CreateTokenRequest(@NotBlank @Size(max = 200) String name) {}

    private final ApiTokenService tokens;

    TokenController(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    @Operation(summary = "Create a token; the answer is the only time the token is shown")
    ResponseEntity<CreatedApiToken> create(@Valid @RequestBody CreateTokenRequest request) {
        CreatedApiToken created = tokens.create(request.name());
        return ResponseEntity.created(URI.create("/api/tokens/" + created.id())).body(created);
    }

    @GetMapping
    @Operation(summary = "List tokens (prefix, name, times; never the token)")
    List<ApiToken> list() {
        return tokens.list();
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a token; it stops working at once")
    ApiToken revoke(@PathVariable long id) {
        return tokens.revoke(id);
    }
}
