package io.clusterplatform.provisioner.server.sshkeys;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.auth.Operators;
import io.clusterplatform.provisioner.server.http.Negotiation;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SSH key registry. Booting hosts fetch public keys without a token ({@code GET /{id}} answers
 * the raw key as {@code text/plain}, JSON with {@code Accept: application/json}); a private key is
 * served only to operators, and lists never show a private key's text.
 */
@RestController
@RequestMapping("/api/sshkeys")
@Tag(name = "sshkeys", description = "Public and private SSH keys; private ones are served to operators only")
class SshKeyController {
    private final SshKeyStore store;

    SshKeyController(SshKeyStore store) {
        this.store = store;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Store a key: {text, artifactId, private, name}; the text is checked and normalised")
    ResponseEntity<SshKey> create(@Valid @RequestBody SshKeyRequest request) {
        SshKeyRequest.Valid valid = request.validated();
        SshKey key = store.create(valid.name(), valid.artifactId(), valid.key());
        return ResponseEntity.created(URI.create("/api/sshkeys/" + key.id()))
                .cacheControl(CacheControl.noStore())
                .body(key);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List keys: {rows, total, page, pageSize, totalPages}; private keys without their text")
    @Parameter(
            name = "searchFields",
            in = ParameterIn.QUERY,
            description = "comma-separated fields to search: id, name, text, artifactId, private,"
                    + " algorithm, fingerprint, createdAt, updatedAt (text only matches public keys)")
    @Parameter(
            name = "sort",
            in = ParameterIn.QUERY,
            description = "fields to sort by, '-' before a field for descending, e.g. -updatedAt")
    Page<SshKey> list(@ParameterObject ListRequest request) {
        return store.list(request);
    }

    @GetMapping(
            path = "/{id}",
            produces = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(
            summary = "The raw key (text/plain), or the entry as JSON with Accept: application/json;"
                    + " private keys need an operator token")
    ResponseEntity<?> get(
            @PathVariable long id, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        SshKey key = store.get(id);
        if (key.isPrivate() && !Operators.isAuthenticated()) {
            throw new ProblemException(
                    401,
                    "Unauthorized",
                    "SSH key " + id + " is a private key, which only"
                            + " operators may read: send 'Authorization: Bearer <token>'");
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (key.isPrivate()) {
            ok.cacheControl(CacheControl.noStore());
        }
        if (Negotiation.wantsJson(accept)) {
            return ok.contentType(MediaType.APPLICATION_JSON).body(key);
        }
        return ok.contentType(Negotiation.TEXT_UTF8).body(key.text());
    }

    @PutMapping(
            path = "/{id}",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace a key")
    ResponseEntity<SshKey> replace(@PathVariable long id, @Valid @RequestBody SshKeyRequest request) {
        SshKeyRequest.Valid valid = request.validated();
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(store.replace(id, valid.name(), valid.artifactId(), valid.key()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a key")
    ResponseEntity<Void> delete(@PathVariable long id) {
        store.delete(id);
        return ResponseEntity.noContent().build();
    }
}
