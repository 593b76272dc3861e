package io.clusterplatform.provisioner.server.mesh;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The POSIX shell node agent, with this server's URL as its default: {@code curl -s .../mesh/agent.sh | sh -s -- --token T}. */
@RestController
@Tag(name = "mesh")
class MeshAgentScriptController {
    private final String script;

    MeshAgentScriptController() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/mesh/agent.sh")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @GetMapping(path = "/mesh/agent.sh", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(
            summary = "The shell node agent (needs sh, curl, wg, ip; wireguard-go where the kernel has no"
                    + " WireGuard): curl -s <server>/mesh/agent.sh | sh -s -- --token cpm_... [--endpoint ip]")
    String agent() {
        String server =
                ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        return script.replace("@SERVER@", server);
    }
}
