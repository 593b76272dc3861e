package io.clusterplatform.provisioner.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OwnArtifactsTest {
    private static final String ID = "bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b";

    @Test
    void readsKindUuidAndFileFromTheEndOfThePathWhateverTheHost() {
        assertThat(OwnArtifacts.parse("http://services.example:30003/ipxes/" + ID + "/ipxe.efi"))
                .contains(new OwnArtifacts.FileRef(ArtifactKind.IPXES, UUID.fromString(ID), "ipxe.efi"));
        assertThat(OwnArtifacts.parse("https://proxy.example/provisioner/isos/" + ID.toUpperCase() + "/dist.iso?x=1"))
                .contains(new OwnArtifacts.FileRef(ArtifactKind.ISOS, UUID.fromString(ID), "dist.iso"));
    }

    @Test
    void otherPathsNameNoFile() {
        for (String url : new String[] {
            "http://p.example/ipxes/not-a-uuid/ipxe.efi",
            "http://p.example/ipxes/" + ID + "/..",
            "http://p.example/ipxes/" + ID,
            "http://p.example/assets/" + ID + "/vmlinuz",
            "http://p.example/api/mainscripts/1",
            "http://p.example/other/" + ID + "/ipxe.efi",
            "not a url"
        }) {
            assertThat(OwnArtifacts.parse(url)).as(url).isEmpty();
        }
    }

    @Test
    void sameOriginComparesSchemeHostAndPortIgnoringCaseAndDefaultPorts() {
        assertThat(OwnArtifacts.sameOrigin("HTTP://P.Example:8080/ipxes/x", "http://p.example:8080"))
                .isTrue();
        assertThat(OwnArtifacts.sameOrigin("http://p.example/ipxes/x", "http://p.example:80"))
                .isTrue();
        assertThat(OwnArtifacts.sameOrigin("https://p.example:443/x", "https://p.example/prefix"))
                .isTrue();
        assertThat(OwnArtifacts.sameOrigin("https://p.example/x", "http://p.example"))
                .isFalse();
        assertThat(OwnArtifacts.sameOrigin("http://p.example:8081/x", "http://p.example:8080"))
                .isFalse();
        assertThat(OwnArtifacts.sameOrigin("http://q.example:8080/x", "http://p.example:8080"))
                .isFalse();
        assertThat(OwnArtifacts.sameOrigin("http://[::1]:8080/x", "http://[::1]:8080"))
                .isTrue();
    }
}
