package io.clusterplatform.provisioner.cli;

import io.clusterplatform.provisioner.server.ServerApplication;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code provisioner server}: starts the control plane and keeps running. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Start the control plane: REST API, boot endpoints, database.")
class ServerCommand implements Callable<Integer> {
    private static volatile ConfigurableApplicationContext context;

    @Option(
            names = "--port",
            defaultValue = "${env:PROVISIONER_PORT:-8080}",
            description = "HTTP port (env PROVISIONER_PORT, default ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:PROVISIONER_DATA_DIR:-./data}",
            description = "Directory for the embedded database, logs and files (env PROVISIONER_DATA_DIR,"
                    + " default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(
            names = "--database-url",
            defaultValue = "${env:PROVISIONER_DATABASE_URL:-}",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/provisioner; absent means the"
                    + " embedded database (env PROVISIONER_DATABASE_URL)")
    String databaseUrl;

    static boolean serverRunning() {
        return context != null && context.isActive();
    }

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--port must be between 0 and 65535, got " + port);
        }
        // Command-line properties win over environment and files in Spring's order.
        context = new SpringApplicationBuilder(ServerApplication.class)
                .run(
                        "--server.port=" + port,
                        "--provisioner.data-dir=" + dataDir,
                        "--provisioner.database-url=" + (databaseUrl == null ? "" : databaseUrl));
        return 0;
    }
}
