package io.clusterplatform.provisioner.core.artifacts;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of built artifacts; each has its own directory in the store and its own download path. */
public enum ArtifactKind {
    IPXES("ipxes", "ipxe"),
    GRUBS("grubs", "grub"),
    SYSLINUXS("syslinuxs", "syslinux"),
    ISOS("isos", "iso"),
    /** Kernels, initrds and other files uploaded for booting hosts, served at {@code /assets/<name>}. */
    ASSETS("assets", "asset");

    private final String wireName;
    private final String singular;

    ArtifactKind(String wireName, String singular) {
        this.wireName = wireName;
        this.singular = singular;
    }

    /** The word for one build in messages: {@code ipxe}, {@code grub}, {@code syslinux}, {@code iso}. */
    public String singular() {
        return singular;
    }

    /** The name in URLs and on disk: {@code ipxes}, {@code grubs}, {@code syslinuxs}, {@code isos}. */
    public String wireName() {
        return wireName;
    }

    /** The kind with this wire name, or a 400 problem naming the known kinds. */
    public static ArtifactKind parse(String wireName) {
        for (ArtifactKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw ProblemException.invalid(
                "unknown artifact kind '" + ArtifactNames.printable(wireName) + "'; known kinds: " + knownNames());
    }

    public static String knownNames() {
        return Arrays.stream(values()).map(ArtifactKind::wireName).sorted().collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
