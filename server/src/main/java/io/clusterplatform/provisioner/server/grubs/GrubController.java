package io.clusterplatform.provisioner.server.grubs;

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
@RequestMapping("/api/grubs")
@Tag(name = "grubs", description = "GRUB UEFI media bootloaders that find the ISO by its label (queued builds)")
class GrubController extends BuildController<GrubSpec> {
    GrubController(GrubKind kind, BuildService builds, ServerUrl server) {
        super(kind, builds, server);
    }

    @Configuration(proxyBeanMethods = false)
    static class Jobs {
        @Bean
        BuildJobHandler<GrubSpec> grubBuildJobs(GrubKind kind, BuildService builds, ArtifactStore store) {
            return new BuildJobHandler<>(kind, builds, store);
        }
    }
}
