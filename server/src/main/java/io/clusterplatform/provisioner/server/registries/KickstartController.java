package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.core.kickstarts.KickstartPasswords;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Kickstarts often hold a root password. Installers fetch them without a token, so callers without
 * one get every plaintext password (rootpw, sshpw, user, bootloader; the list is in {@link
 * io.clusterplatform.provisioner.core.kickstarts.KickstartPasswords} and docs/SECURITY.md) as a
 * hash ({@code --iscrypted}), which installs the same; lists always show the hashed form; only an
 * operator's GET of one kickstart shows the text as stored. A kickstart whose password cannot be
 * placed is refused when stored (400 naming the line).
 */
@RestController
@RequestMapping("/api/kickstarts")
@Tag(name = "kickstarts", description = "Installer automation; plaintext passwords are served hashed without a token")
class KickstartController extends TextRegistryController {
    KickstartController(TextRegistryStore store, ServerUrl server) {
        super(TextRegistry.KICKSTARTS, store, server);
    }

    @Override
    protected String servedText(TextEntry entry, boolean operator) {
        return operator ? entry.text() : TextRegistry.KICKSTARTS.servedWithoutToken(entry.text());
    }

    @Override
    protected String listedText(TextEntry entry) {
        return KickstartPasswords.hidePlaintextPasswords(entry.text());
    }
}
