package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.server.ServerApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server of its own for tests that need a fresh database (the original API's ids start at 1) or that stop
 * and start the server. Real HTTP on a random port; close it to stop it.
 */
public final class StandaloneServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final Path dataDir;

    private StandaloneServer(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
    }

    public static StandaloneServer start(Path dataDir, String... extraArgs) {
        List<String> args =
                new ArrayList<>(List.of("--provisioner.bootstrap-token=" + ServerIntegrationTest.OPERATOR_TOKEN));
        args.addAll(List.of(extraArgs));
        return startWithoutBootstrapToken(dataDir, args.toArray(String[]::new));
    }

    /** A server that generates and prints its first operator token itself, as on a real first start. */
    public static StandaloneServer startWithoutBootstrapToken(Path dataDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--provisioner.data-dir=" + dataDir));
        args.addAll(List.of(extraArgs));
        long dataDirs = args.stream()
                .filter(arg -> arg.startsWith("--provisioner.data-dir="))
                .count();
        if (dataDirs != 1
                || args.stream()
                                .filter(arg -> arg.startsWith("--provisioner.bootstrap-token="))
                                .count()
                        > 1) {
            throw new IllegalArgumentException("a setting given twice is joined with a comma by Spring: " + args);
        }
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(ServerApplication.class).run(args.toArray(String[]::new));
        return new StandaloneServer(context, dataDir);
    }

    /** A server on a new data directory, deleted when the JVM exits. */
    public static StandaloneServer startFresh(String... extraArgs) {
        return start(ThrowawayDirectory.create("provisioner-standalone-").path(), extraArgs);
    }

    /** A server on a {@link BackendDatabase} (embedded or PostgreSQL), as the store contract tests use. */
    public static StandaloneServer start(BackendDatabase database, String... extraArgs) {
        // serverArguments() names the data directory itself; a key given twice would be joined with a comma.
        List<String> args = new ArrayList<>(database.serverArguments());
        args.removeIf(arg -> arg.startsWith("--provisioner.data-dir="));
        args.add("--server.address=127.0.0.1");
        args.addAll(List.of(extraArgs));
        return start(database.dataDir(), args.toArray(String[]::new));
    }

    public boolean isRunning() {
        return context.isActive();
    }

    public int port() {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }

    public Api api() {
        return Api.at(port());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
