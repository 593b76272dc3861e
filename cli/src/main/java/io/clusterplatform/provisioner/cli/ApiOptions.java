package io.clusterplatform.provisioner.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the API is and which token to send: flags, then environment, then the local token file. */
class ApiOptions {
    @Option(
            names = "--server",
            defaultValue = "${env:PROVISIONER_URL:-http://localhost:8080}",
            description = "Server URL (env PROVISIONER_URL, default ${DEFAULT-VALUE})")
    URI server;

    @Option(
            names = "--token",
            defaultValue = "${env:PROVISIONER_TOKEN}",
            description = "Operator token (env PROVISIONER_TOKEN; default: the token file in the data directory)")
    String token;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:PROVISIONER_DATA_DIR:-./data}",
            description = "Data directory whose operator-token file is read when no token is given")
    Path dataDir;

    ApiClient client() {
        return new ApiClient(server, resolveToken());
    }

    private String resolveToken() {
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        Path file = dataDir.resolve("operator-token");
        if (Files.isReadable(file)) {
            try {
                return Files.readString(file).trim();
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }
}
