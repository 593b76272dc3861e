package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/prebootscripts")
@Tag(name = "prebootscripts", description = "Scripts run before the OS installation")
class PrebootscriptController extends TextRegistryController {
    PrebootscriptController(TextRegistryStore store, ServerUrl server) {
        super(TextRegistry.PREBOOTSCRIPTS, store, server);
    }
}
