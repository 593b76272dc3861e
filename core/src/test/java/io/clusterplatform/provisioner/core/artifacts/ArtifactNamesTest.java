package io.clusterplatform.provisioner.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactNamesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"ipxe.efi", "dist.iso", "ldlinux.c32", "isohdpfx.bin", "bootx64.efi", "grub_x86-64+1.img", "A"})
    void acceptsPlainFileNames(String name) {
        assertThat(ArtifactNames.requireFileName(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "..",
                ".",
                ".hidden",
                "../secret",
                "a/b",
                "/etc/passwd",
                "a\\b",
                "a\0b",
                "a b",
                "-rf",
                "é.iso",
                "a\nb"
            })
    void refusesNamesThatAreNotOnePlainSegment(String name) {
        assertThatThrownBy(() -> ArtifactNames.requireFileName(name))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("artifact file name");
    }

    @Test
    void messagesSayWhichRuleIsBroken() {
        assertThatThrownBy(() -> ArtifactNames.requireFileName("..")).hasMessageContaining("must not start with '.'");
        assertThatThrownBy(() -> ArtifactNames.requireFileName("a/b")).hasMessageContaining("without '/'");
        assertThatThrownBy(() -> ArtifactNames.requireFileName("a\0b"))
                .hasMessageContaining("NUL")
                .hasMessageContaining("a\\u0000b");
        assertThatThrownBy(() -> ArtifactNames.requireFileName("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ArtifactNames.requireFileName("x".repeat(256))).hasMessageContaining("at most 255");
    }

    @Test
    void parsesCanonicalUuidsInEitherCase() {
        UUID id = UUID.fromString("bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b");
        assertThat(ArtifactNames.parseArtifactId("bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b"))
                .isEqualTo(id);
        assertThat(ArtifactNames.parseArtifactId("BFFAF7BB-B52F-4B19-99BA-D7D4FA25B28B"))
                .isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-1-1-1-1", "..", "bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b/..", "", "not-a-uuid"})
    void refusesArtifactIdsThatAreNotCanonicalUuids(String text) {
        assertThatThrownBy(() -> ArtifactNames.parseArtifactId(text))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("must be a UUID");
    }

    @Test
    void picksTheContentTypeByExtension() {
        assertThat(ArtifactNames.contentType("dist.iso")).isEqualTo("application/x-iso9660-image");
        assertThat(ArtifactNames.contentType("EFI.ZIP")).isEqualTo("application/zip");
        assertThat(ArtifactNames.contentType("ipxe.efi")).isEqualTo("application/octet-stream");
    }

    @Test
    void unknownKindsAreRefusedNamingTheKnownOnes() {
        assertThat(ArtifactKind.parse("isos")).isEqualTo(ArtifactKind.ISOS);
        assertThatThrownBy(() -> ArtifactKind.parse("kernels"))
                .isInstanceOf(ProblemException.class)
                .hasMessage("unknown artifact kind 'kernels'; known kinds: assets, grubs, ipxes, isos, syslinuxs");
    }
}
