package io.clusterplatform.provisioner.core.artifacts;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of built artifacts; each has its own directory in the store and its own download path. */
public enum ArtifactKind {
    IPXES("ipxes"),
    GRUBS("grubs"),
    SYSLINUXS("syslinuxs"),
    ISOS("isos");

    private final String wireName;

    ArtifactKind(String wireName) {
        this.wireName = wireName;
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
