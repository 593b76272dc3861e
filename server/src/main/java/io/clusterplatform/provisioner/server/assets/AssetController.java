package io.clusterplatform.provisioner.server.assets;

import io.clusterplatform.provisioner.server.artifacts.ArtifactDownloadController;
import io.clusterplatform.provisioner.server.artifacts.StoredFile;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Boot assets: {@code PUT /api/assets/{name}} with the file as the body (operators), served to
 * booting hosts at {@code /assets/{name}} with Content-Length, ETag and Range, under a URL that
 * subscripts can name ({@code kernel {{server}}/assets/fedora29-vmlinuz}).
 */
@RestController
@Tag(name = "assets", description = "Kernels, initrds and other files booting hosts fetch over HTTP")
class AssetController {
    /** An asset as the API lists it. */
    record AssetView(String name, long size, String sha256, String url) {}

    private final BootAssets assets;
    private final ServerUrl server;
    private final ArtifactDownloadController downloads;

    AssetController(BootAssets assets, ServerUrl server, ArtifactDownloadController downloads) {
        this.assets = assets;
        this.server = server;
        this.downloads = downloads;
    }

    @PutMapping(path = "/api/assets/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Upload a boot asset (the request body is the file, up to 16 GiB); replaces one of that name")
    ResponseEntity<AssetView> upload(@PathVariable String name, HttpServletRequest request) throws IOException {
        StoredFile stored = assets.upload(name, request.getInputStream());
        return ResponseEntity.created(URI.create("/api/assets/" + name)).body(view(stored));
    }

    @GetMapping(path = "/api/assets", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List boot assets with size, sha256 and URL")
    List<AssetView> list() {
        return assets.list().stream().map(this::view).toList();
    }

    @GetMapping(path = "/api/assets/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    AssetView get(@PathVariable String name) {
        return view(assets.get(name));
    }

    @DeleteMapping("/api/assets/{name}")
    ResponseEntity<Void> delete(@PathVariable String name) {
        assets.delete(name);
        return ResponseEntity.noContent().build();
    }

    @RequestMapping(
            path = "/assets/{name}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    @Operation(summary = "Download a boot asset (no token needed when boot endpoints are open)")
    void download(@PathVariable String name, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        downloads.serve(assets.get(name), request, response);
    }

    private AssetView view(StoredFile file) {
        return new AssetView(file.name(), file.size(), file.sha256(), server.base() + "/assets/" + file.name());
    }
}
