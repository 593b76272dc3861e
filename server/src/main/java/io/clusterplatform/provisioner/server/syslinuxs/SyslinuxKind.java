package io.clusterplatform.provisioner.server.syslinuxs;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStaging;
import io.clusterplatform.provisioner.server.bootloaders.SyslinuxBuild;
import io.clusterplatform.provisioner.server.builds.BuildKind;
import io.clusterplatform.provisioner.server.builds.BuildRequestContext;
import io.clusterplatform.provisioner.server.jobs.JobContext;
import java.util.Map;
import org.springframework.stereotype.Component;

/** SYSLINUX fragments for BIOS boot media, from the system's SYSLINUX. */
@Component
class SyslinuxKind implements BuildKind<SyslinuxSpec> {
    private final SyslinuxBuild build;

    SyslinuxKind(SyslinuxBuild build) {
        this.build = build;
    }

    @Override
    public ArtifactKind artifactKind() {
        return ArtifactKind.SYSLINUXS;
    }

    @Override
    public Class<SyslinuxSpec> specType() {
        return SyslinuxSpec.class;
    }

    @Override
    public SyslinuxSpec fromForm(Map<String, String> form) {
        return new SyslinuxSpec(form.getOrDefault("fragment", ""));
    }

    @Override
    public SyslinuxSpec validate(SyslinuxSpec spec, BuildRequestContext request) {
        return new SyslinuxSpec(SyslinuxFragment.of(spec.fragment()).fileName());
    }

    @Override
    public String primaryFile(SyslinuxSpec spec) {
        return spec.fragment();
    }

    @Override
    public void build(SyslinuxSpec spec, ArtifactStaging staging, JobContext job) {
        job.progress(10, "copying " + spec.fragment() + " from SYSLINUX");
        SyslinuxFragment fragment = SyslinuxFragment.of(spec.fragment());
        build.build(fragment, staging.file(spec.fragment()).getParent());
    }
}
