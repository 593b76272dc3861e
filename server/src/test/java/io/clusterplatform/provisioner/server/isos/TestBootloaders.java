package io.clusterplatform.provisioner.server.isos;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the iPXE 1.21+ binaries that scripts/run-tests.sh fetched. */
final class TestBootloaders {
    private TestBootloaders() {}

    static Path ipxeDir() {
        for (String candidate : new String[] {System.getenv("PROVISIONER_IPXE_DIR"), "/var/lib/provisioner/bootloaders/ipxe",
                "/usr/lib/ipxe"}) {
            if (candidate != null && Files.isRegularFile(Path.of(candidate, "ipxe-amd64.efi"))) {
                return Path.of(candidate);
            }
        }
        throw new AssertionError("iPXE 1.21+ binaries not found: run scripts/run-tests.sh, which fetches them");
    }
}
