package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/subscripts")
@Tag(name = "subscripts", description = "Secondary iPXE scripts that hold the boot logic")
class SubscriptController extends TextRegistryController {
    SubscriptController(TextRegistryStore store, ServerUrl server) {
        super(TextRegistry.SUBSCRIPTS, store, server);
    }
}
