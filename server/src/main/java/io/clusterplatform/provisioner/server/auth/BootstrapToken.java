package io.clusterplatform.provisioner.server.auth;

import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Makes sure an operator can get in. If {@code PROVISIONER_BOOTSTRAP_TOKEN} is set, that token is
 * stored (once). Otherwise, on the very first start, a token is generated, printed once on the
 * terminal (never through the logger) and written to {@code <data-dir>/operator-token} with mode
 * 0600 so that {@code provisioner} commands on this machine find it.
 */
@Component
class BootstrapToken implements ApplicationRunner {
    static final String TOKEN_FILE = "operator-token";
    private static final Logger log = LoggerFactory.getLogger(BootstrapToken.class);

    private final ApiTokenService tokens;
    private final ProvisionerProperties properties;
    private final PrintStream terminal;

    private final Environment environment;

    BootstrapToken(ApiTokenService tokens, ProvisionerProperties properties, Environment environment) {
        this.tokens = tokens;
        this.properties = properties;
        this.environment = environment;
        this.terminal = System.out;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (!properties.bootstrapToken().isBlank()) {
            boolean stored;
            try {
                stored = tokens.ensure("bootstrap", properties.bootstrapToken());
            } catch (DuplicateKeyException raced) {
                // Replicas starting together on one database: another stored it between the check and
                // the insert. Asking again finds it (or names the conflict).
                stored = tokens.ensure("bootstrap", properties.bootstrapToken());
            }
            if (stored) {
                log.info("Stored the operator token given by PROVISIONER_BOOTSTRAP_TOKEN");
            }
            return;
        }
        CreatedApiToken created;
        try {
            Optional<CreatedApiToken> first = tokens.createFirst("first operator");
            if (first.isEmpty()) {
                return;
            }
            created = first.get();
        } catch (DuplicateKeyException another) {
            log.info("Another server created the first operator token; see its output");
            return;
        }
        Path file = writeTokenFile(created.token());
        log.info(
                "Created the first operator token (prefix {}); it was printed on the terminal and saved to {}",
                created.prefix(),
                file);
        terminal.println();
        terminal.println("==> First operator token (shown once; also saved to " + file + ", mode 0600):");
        terminal.println();
        terminal.println("    " + created.token());
        terminal.println();
        String port = environment.getProperty("local.server.port", "8080");
        terminal.println("    curl -H 'Authorization: Bearer " + created.token() + "' http://localhost:" + port
                + "/api/mainscripts");
        terminal.println();
        terminal.println("    Dashboard: http://localhost:" + port + "/ui/ (log in with this token)");
        terminal.println();
        terminal.flush();
    }

    private Path writeTokenFile(String token) throws IOException {
        Path dir = properties.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path file = dir.resolve(TOKEN_FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }
}
