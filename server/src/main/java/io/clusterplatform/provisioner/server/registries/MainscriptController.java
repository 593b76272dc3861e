package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/mainscripts")
@Tag(name = "mainscripts", description = "Primary iPXE scripts, usually a menu that chains subscripts")
class MainscriptController extends TextRegistryController {
    MainscriptController(TextRegistryStore store, ServerUrl server) {
        super(TextRegistry.MAINSCRIPTS, store, server);
    }
}
