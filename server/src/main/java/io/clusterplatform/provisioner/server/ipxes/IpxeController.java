package io.clusterplatform.provisioner.server.ipxes;

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
@RequestMapping("/api/ipxes")
@Tag(name = "ipxes", description = "iPXE network bootloaders bound to a script (queued builds)")
class IpxeController extends BuildController<IpxeSpec> {
    IpxeController(IpxeKind kind, BuildService builds, ServerUrl server) {
        super(kind, builds, server);
    }

    @Configuration(proxyBeanMethods = false)
    static class Jobs {
        @Bean
        BuildJobHandler<IpxeSpec> ipxeBuildJobs(IpxeKind kind, BuildService builds, ArtifactStore store) {
            return new BuildJobHandler<>(kind, builds, store);
        }
    }
}
