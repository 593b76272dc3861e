package io.clusterplatform.provisioner.server.ipxes;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.bootloaders.IpxeScript;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStaging;
import io.clusterplatform.provisioner.server.bootloaders.IpxeBuild;
import io.clusterplatform.provisioner.server.builds.BuildKind;
import io.clusterplatform.provisioner.server.builds.BuildRequestContext;
import io.clusterplatform.provisioner.server.jobs.JobContext;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * iPXE binaries bound to their script without recompiling: the prebuilt binary ({@code ipxe.efi},
 * {@code ipxe.kpxe}, {@code ipxe.lkrn}) with {@code script.ipxe} beside it, which the distributor
 * hands out by proxyDHCP and the ISO builder passes as initrd or {@code autoexec.ipxe}; EFI builds
 * also get {@code ipxe.img}, a FAT image that boots from USB and runs the script by itself. The
 * script's {@code {{server}}} becomes the server's public URL as the request saw it ({@link
 * IpxeSpec#serverUrl()}), so {@code chain {{server}}/api/mainscripts/1} works.
 */
@Component
class IpxeKind implements BuildKind<IpxeSpec> {
    private final IpxeBuild build;

    IpxeKind(IpxeBuild build) {
        this.build = build;
    }

    @Override
    public ArtifactKind artifactKind() {
        return ArtifactKind.IPXES;
    }

    @Override
    public Class<IpxeSpec> specType() {
        return IpxeSpec.class;
    }

    @Override
    public IpxeSpec fromForm(Map<String, String> form) {
        String script = form.getOrDefault("script", "");
        String target = form.getOrDefault("target", "");
        String[] parts = target.split("/", -1);
        return parts.length == 3
                ? new IpxeSpec(script, parts[0], parts[1], parts[2], null)
                : new IpxeSpec(script, target, null, null, null);
    }

    @Override
    public IpxeSpec validate(IpxeSpec spec, BuildRequestContext request) {
        IpxeTarget target = IpxeTarget.of(spec.platform(), spec.driver(), spec.extension());
        new IpxeScript(spec.script());
        return new IpxeSpec(spec.script(), target.platform(), target.driver(), target.extension(), request.baseUrl());
    }

    @Override
    public String primaryFile(IpxeSpec spec) {
        return target(spec).artifactFileName();
    }

    @Override
    public void build(IpxeSpec spec, ArtifactStaging staging, JobContext job) {
        job.progress(10, "binding the script to the prebuilt iPXE binary");
        Path dir = staging.file(IpxeBuild.SCRIPT_FILE).getParent();
        IpxeScript script = new IpxeScript(spec.script()).withServer(spec.serverUrl());
        for (Path file : build.build(target(spec), script, dir)) {
            job.log("built " + file.getFileName());
        }
    }

    private static IpxeTarget target(IpxeSpec spec) {
        return IpxeTarget.of(spec.platform(), spec.driver(), spec.extension());
    }
}
