package io.clusterplatform.provisioner.server.artifacts;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Absolute download URLs of built files, on this server's {@link ServerUrl}. */
@Component
public class ArtifactUrls {
    private final ServerUrl server;

    public ArtifactUrls(ServerUrl server) {
        this.server = server;
    }

    /** {@code <base>/<kind>/<uuid>/<file>}, e.g. {@code https://p.example/ipxes/bffaf7bb-.../ipxe.efi}. */
    public String downloadUrl(ArtifactKind kind, UUID artifactId, String file) {
        return server.base() + "/" + kind.wireName() + "/" + artifactId + "/" + ArtifactNames.requireFileName(file);
    }

    public String downloadUrl(StoredFile file) {
        return downloadUrl(file.kind(), file.artifactId(), file.name());
    }
}
