package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * What a joined node keeps in its state directory ({@code node.json}, mode 0600, next to {@code
 * private.key}): enough to resume after a restart without a new join token.
 */
record MeshState(
        String server,
        long nodeId,
        String networkId,
        String hostname,
        String role,
        String nodeToken,
        String address,
        String ipv4,
        String nodeSubnet,
        String ipv4Range,
        String interfaceName,
        int listenPort,
        String endpoint) {
    static final String FILE = "node.json";

    /** The interface's addresses with their prefix lengths: the /64 of the node subnet, the IPv4 range's. */
    List<String> interfaceAddresses() {
        String v6 = address + "/" + nodeSubnet.substring(nodeSubnet.indexOf('/') + 1);
        if (ipv4 == null || ipv4Range == null) {
            return List.of(v6);
        }
        return List.of(v6, ipv4 + "/" + ipv4Range.substring(ipv4Range.indexOf('/') + 1));
    }

    static Optional<MeshState> read(Path dir, ObjectMapper json) throws IOException {
        Path file = dir.resolve(FILE);
        return Files.exists(file) ? Optional.of(json.readValue(file.toFile(), MeshState.class)) : Optional.empty();
    }

    void write(Path dir, ObjectMapper json) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }
}
