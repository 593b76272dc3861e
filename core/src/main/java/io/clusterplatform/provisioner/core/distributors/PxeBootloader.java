package io.clusterplatform.provisioner.core.distributors;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Objects;

/**
 * What a distributor hands one client architecture: {@code tftpFile}, the iPXE binary's path under the
 * TFTP root, to firmware PXE clients; {@code scriptUrl}, the http(s) URL of the iPXE script, to iPXE
 * clients, so that iPXE runs its script instead of loading itself again. Without a script URL, iPXE
 * clients get nothing from the distributor: the binary must embed its script.
 */
public record PxeBootloader(PxeArchitecture architecture, String tftpFile, String scriptUrl) {
    public PxeBootloader {
        Objects.requireNonNull(architecture, "architecture");
        if (tftpFile == null || !tftpFile.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*") || tftpFile.contains("..")) {
            throw new IllegalArgumentException("not a TFTP path: " + tftpFile);
        }
        if (scriptUrl != null) {
            DistributorRules.requireHttpUrl("scriptUrl", scriptUrl);
            if (!scriptUrl.matches("[^\\s,\"'#\\\\]+")) {
                throw ProblemException.invalid("the iPXE script URL '" + scriptUrl
                        + "' cannot be handed out by dnsmasq: it contains a space, comma, quote, '#' or backslash");
            }
        }
    }
}
