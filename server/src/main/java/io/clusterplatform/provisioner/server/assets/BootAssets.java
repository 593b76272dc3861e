package io.clusterplatform.provisioner.server.assets;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.artifacts.ArtifactNames;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.artifacts.ArtifactFileCatalog;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStaging;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStore;
import io.clusterplatform.provisioner.server.artifacts.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.util.unit.DataSize;

/**
 * Files that booting hosts fetch by a stable name ({@code /assets/fedora29-vmlinuz}), for sites
 * without internet: uploaded by operators, kept in the artifact store (size, sha256, atomic publish),
 * one store artifact per name.
 */
@Service
public class BootAssets {
    /** The largest asset accepted; an installer image is a few GiB. */
    public static final DataSize MAX_SIZE = DataSize.ofGigabytes(16);

    private final ArtifactStore store;
    private final ArtifactFileCatalog catalog;

    BootAssets(ArtifactStore store, ArtifactFileCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /** Stores the bytes under {@code name}, replacing an asset of that name only once all arrived. */
    public StoredFile upload(String name, InputStream body) throws IOException {
        ArtifactNames.requireFileName(name);
        try (ArtifactStaging staging = store.stage(ArtifactKind.ASSETS, idOf(name))) {
            long total = 0;
            byte[] buffer = new byte[1 << 16];
            try (OutputStream out = staging.create(name)) {
                for (int n; (n = body.read(buffer)) > 0; ) {
                    total += n;
                    if (total > MAX_SIZE.toBytes()) {
                        throw new ProblemException(
                                413,
                                "Payload too large",
                                "a boot asset may have at most " + MAX_SIZE.toBytes() + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (total == 0) {
                throw ProblemException.invalid("the asset '" + name + "' is empty: send its bytes as the request body");
            }
            return staging.publish().getFirst();
        }
    }

    public Optional<StoredFile> find(String name) {
        ArtifactNames.requireFileName(name);
        return store.find(ArtifactKind.ASSETS, idOf(name), name);
    }

    public StoredFile get(String name) {
        return find(name).orElseThrow(() -> ProblemException.notFound("boot asset '" + name + "' does not exist"));
    }

    public List<StoredFile> list() {
        return catalog.listKind(ArtifactKind.ASSETS);
    }

    public void delete(String name) {
        get(name);
        store.delete(ArtifactKind.ASSETS, idOf(name));
    }

    static UUID idOf(String name) {
        return ArtifactNames.assetId(name);
    }
}
