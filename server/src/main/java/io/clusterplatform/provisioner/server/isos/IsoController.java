package io.clusterplatform.provisioner.server.isos;

import io.clusterplatform.provisioner.server.artifacts.ArtifactStore;
import io.clusterplatform.provisioner.server.bootloaders.ToolRunner;
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
@RequestMapping("/api/isos")
@Tag(name = "isos", description = "Hybrid BIOS/UEFI, CD/USB boot media (queued builds); {label, script} is enough")
class IsoController extends BuildController<IsoSpec> {
    IsoController(IsoKind kind, BuildService builds, ServerUrl server) {
        super(kind, builds, server);
    }

    @Configuration(proxyBeanMethods = false)
    static class Jobs {
        @Bean
        IsoBuild isoBuild(ToolRunner bootloaderToolRunner) {
            return new IsoBuild(bootloaderToolRunner);
        }

        @Bean
        BuildJobHandler<IsoSpec> isoBuildJobs(IsoKind kind, BuildService builds, ArtifactStore store) {
            return new BuildJobHandler<>(kind, builds, store);
        }
    }
}
