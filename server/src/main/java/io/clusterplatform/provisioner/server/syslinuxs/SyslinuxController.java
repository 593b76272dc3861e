package io.clusterplatform.provisioner.server.syslinuxs;

import io.clusterplatform.provisioner.server.artifacts.ArtifactStore;
import io.clusterplatform.provisioner.server.builds.BuildController;
import io.clusterplatform.provisioner.server.builds.BuildJobHandler;
import io.clusterplatform.provisioner.server.builds.BuildService;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/syslinuxs")
@Tag(name = "syslinuxs", description = "SYSLINUX BIOS media bootloader fragments (queued builds)")
class SyslinuxController extends BuildController<SyslinuxSpec> {
    SyslinuxController(SyslinuxKind kind, BuildService builds, ServerUrl server) {
        super(kind, builds, server);
    }

    @Configuration(proxyBeanMethods = false)
    static class Jobs {
        @Bean
        BuildJobHandler<SyslinuxSpec> syslinuxBuildJobs(SyslinuxKind kind, BuildService builds, ArtifactStore store) {
            return new BuildJobHandler<>(kind, builds, store);
        }
    }
}
