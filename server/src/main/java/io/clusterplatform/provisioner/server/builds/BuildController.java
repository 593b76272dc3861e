package io.clusterplatform.provisioner.server.builds;

import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.Map;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * The REST shape shared by the artifact builders: {@code POST} stores the request, queues its job and
 * answers at once (201) with {@code status} and {@code progress}; {@code GET /{id}} shows progress and,
 * when done, the files with size, sha256 and download URL; {@code DELETE} cancels and removes.
 */
public abstract class BuildController<S> {
    private final BuildKind<S> kind;
    private final BuildService builds;
    private final ServerUrl server;

    protected BuildController(BuildKind<S> kind, BuildService builds, ServerUrl server) {
        this.kind = kind;
        this.builds = builds;
        this.server = server;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Queue a build; the answer comes at once with status queued and progress 0")
    public ResponseEntity<Map<String, Object>> create(@RequestBody S request) {
        S spec = kind.validate(request, new BuildRequestContext(server.base()));
        BuildRow row = builds.create(kind, spec);
        return ResponseEntity.created(URI.create("/api/" + kind.artifactKind().wireName() + "/" + row.id()))
                .body(builds.view(kind, row));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List builds: {rows, total, page, pageSize, totalPages}")
    public Page<Map<String, Object>> list(@ParameterObject ListRequest request) {
        return builds.list(kind.artifactKind(), request).map(row -> builds.view(kind, row));
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A build: status (queued, working, done, failed, cancelled), progress 0-100, files when done")
    public Map<String, Object> get(@PathVariable long id) {
        return builds.view(kind, builds.get(kind.artifactKind(), id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel the build if it runs, and remove it with its files")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        builds.delete(kind.artifactKind(), id);
        return ResponseEntity.noContent().build();
    }
}
