package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/postbootscripts")
@Tag(name = "postbootscripts", description = "Scripts run after the OS installation; they usually register the node")
class PostbootscriptController extends TextRegistryController {
    PostbootscriptController(TextRegistryStore store, ServerUrl server) {
        super(TextRegistry.POSTBOOTSCRIPTS, store, server);
    }
}
