package io.clusterplatform.provisioner.server.testing;

import io.clusterplatform.provisioner.server.ServerApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real server, started in this JVM the way {@code provisioner server} starts it, on a random
 * loopback port and a {@link BackendDatabase}, with {@link ServerIntegrationTest#OPERATOR_TOKEN} as
 * its bootstrap token. Close it to stop it; start another on the same database to see what survived.
 */
public final class TestServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;

    private TestServer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static TestServer start(BackendDatabase database, String... extraArguments) {
        List<String> arguments = new ArrayList<>(database.serverArguments());
        arguments.add("--server.port=0");
        arguments.add("--server.address=127.0.0.1");
        arguments.add("--provisioner.bootstrap-token=" + ServerIntegrationTest.OPERATOR_TOKEN);
        arguments.addAll(List.of(extraArguments));
        return new TestServer(new SpringApplicationBuilder(ServerApplication.class)
                .main(ServerApplication.class)
                .run(arguments.toArray(String[]::new)));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** A client for this server, without a token; {@code api().asOperator()} adds the operator's. */
    public Api api() {
        return Api.at(port());
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        context.close();
    }
}
