package io.clusterplatform.provisioner.distributor.pxe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kernel's IPv4 neighbour table ({@code /proc/net/arp}) of the agent's network namespace. */
public final class NeighbourTable implements BootLogParser.MacLookup {
    private static final String NO_MAC = "00:00:00:00:00:00";
    private final Path file;

    NeighbourTable(Path file) {
        this.file = file;
    }

    public static NeighbourTable system() {
        return new NeighbourTable(Path.of("/proc/net/arp"));
    }

    @Override
    public Optional<String> macOf(String ip) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        // IP address  HW type  Flags  HW address  Mask  Device
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].equals(ip) && f[3].matches("[0-9a-fA-F:]{17}") && !f[3].equals(NO_MAC)) {
                return Optional.of(f[3].toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}
