package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.scripts.ScriptPlaceholders;
import io.clusterplatform.provisioner.server.auth.Operators;
import io.clusterplatform.provisioner.server.http.Negotiation;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.springdoc.core.annotations.ParameterObject;
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
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The REST shape shared by the five text registries. {@code GET /{id}} answers the raw text as
 * {@code text/plain} (what iPXE {@code chain}, Anaconda {@code inst.ks=} and {@code curl | bash}
 * fetch) and JSON when the client asks for {@code application/json}.
 */
abstract class TextRegistryController {
    private final TextRegistry registry;
    private final TextRegistryStore store;
    private final ServerUrl server;

    TextRegistryController(TextRegistry registry, TextRegistryStore store, ServerUrl server) {
        this.registry = registry;
        this.store = store;
        this.server = server;
    }

    /** The text as served to this caller; kickstarts hide passwords from callers without a token. */
    protected String servedText(TextEntry entry, boolean operator) {
        return entry.text();
    }

    /** The text as shown in lists, which never carry secrets. */
    protected String listedText(TextEntry entry) {
        return entry.text();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Store a new entry")
    ResponseEntity<TextEntry> create(@Valid @RequestBody TextEntryRequest request) {
        TextEntry entry = store.create(registry, request.name(), request.text());
        return ResponseEntity.created(URI.create("/api/" + registry.path() + "/" + entry.id()))
                .body(entry);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List entries: {rows, total, page, pageSize, totalPages}")
    @Parameter(
            name = "searchFields",
            in = ParameterIn.QUERY,
            description = "comma-separated fields to search: id, name, text, createdAt, updatedAt")
    @Parameter(
            name = "sort",
            in = ParameterIn.QUERY,
            description = "fields to sort by, '-' before a field for descending, e.g. -updatedAt")
    Page<TextEntry> list(@ParameterObject ListRequest request) {
        return store.list(registry, request).map(entry -> entry.withText(listedText(entry)));
    }

    @GetMapping(
            path = "/{id}",
            produces = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(
            summary = "The raw text (text/plain) with {{server}} and {{artifactId}} filled in, or the entry as"
                    + " stored as JSON with Accept: application/json")
    ResponseEntity<?> get(
            @PathVariable long id,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @Parameter(description = "the fetching host's site tag, for {{artifactId}} in the script")
                    @RequestParam(required = false)
                    String artifactId) {
        if (artifactId != null && !NodeAddresses.isArtifactId(artifactId)) {
            throw ProblemException.invalid("'artifactId' must be 1 to 253 letters, digits and . _ : -");
        }
        TextEntry entry = store.get(registry, id);
        TextEntry served = entry.withText(servedText(entry, Operators.isAuthenticated()));
        if (Negotiation.wantsJson(accept)) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(served);
        }
        Map<String, String> values = new HashMap<>();
        values.put(ScriptPlaceholders.SERVER, server.base());
        values.put(ScriptPlaceholders.ARTIFACT_ID, artifactId == null ? "" : artifactId);
        return ResponseEntity.ok()
                .contentType(Negotiation.TEXT_UTF8)
                .body(ScriptPlaceholders.fill(served.text(), values));
    }

    @PutMapping(
            path = "/{id}",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace an entry")
    TextEntry replace(@PathVariable long id, @Valid @RequestBody TextEntryRequest request) {
        return store.replace(registry, id, request.name(), request.text());
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove an entry")
    ResponseEntity<Void> delete(@PathVariable long id) {
        store.delete(registry, id);
        return ResponseEntity.noContent().build();
    }
}
