package io.clusterplatform.provisioner.server.grubs;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.bootloaders.GrubTarget;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStaging;
import io.clusterplatform.provisioner.server.bootloaders.GrubBuild;
import io.clusterplatform.provisioner.server.builds.BuildKind;
import io.clusterplatform.provisioner.server.builds.BuildRequestContext;
import io.clusterplatform.provisioner.server.jobs.JobContext;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.stereotype.Component;

/** GRUB EFI images made with grub-mkimage whose embedded config finds the ISO by its label. */
@Component
class GrubKind implements BuildKind<GrubSpec> {
    private final GrubBuild build;

    GrubKind(GrubBuild build) {
        this.build = build;
    }

    @Override
    public ArtifactKind artifactKind() {
        return ArtifactKind.GRUBS;
    }

    @Override
    public Class<GrubSpec> specType() {
        return GrubSpec.class;
    }

    @Override
    public GrubSpec fromForm(Map<String, String> form) {
        return new GrubSpec(
                form.getOrDefault("label", ""),
                GrubTarget.PLATFORM,
                form.getOrDefault("architecture", ""),
                GrubTarget.EXTENSION,
                form.getOrDefault("fragment", ""));
    }

    @Override
    public GrubSpec validate(GrubSpec spec, BuildRequestContext request) {
        GrubTarget target = target(spec);
        return new GrubSpec(
                target.label().value(),
                GrubTarget.PLATFORM,
                target.architecture().wireName(),
                GrubTarget.EXTENSION,
                target.fragment().wireName());
    }

    @Override
    public String primaryFile(GrubSpec spec) {
        return target(spec).artifactFileName();
    }

    @Override
    public void build(GrubSpec spec, ArtifactStaging staging, JobContext job) {
        job.progress(10, "running grub-mkimage");
        GrubTarget target = target(spec);
        Path dir = staging.file(target.artifactFileName()).getParent();
        job.log("built " + build.build(target, dir).getFileName());
    }

    private static GrubTarget target(GrubSpec spec) {
        return GrubTarget.of(spec.label(), spec.platform(), spec.architecture(), spec.extension(), spec.fragment());
    }
}
