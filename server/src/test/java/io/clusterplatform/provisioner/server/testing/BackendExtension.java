package io.clusterplatform.provisioner.server.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Behind {@link UseBackend}: one {@link PostgresServer} for the whole test run (stopped when the run
 * ends), and per test class a {@link BackendDatabase} and, when asked for, a {@link StandaloneServer} on it.
 */
final class BackendExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(BackendExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Backend backend = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), UseBackend.class)
                .orElseThrow(() -> new IllegalStateException(context.getRequiredTestClass() + " needs @UseBackend"))
                .value();
        context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        ClassResources.class, key -> new ClassResources(open(backend, context)), ClassResources.class);
    }

    private static BackendDatabase open(Backend backend, ExtensionContext context) {
        return switch (backend) {
            case H2 -> BackendDatabase.h2();
            case POSTGRESQL ->
                BackendDatabase.postgres(
                        sharedPostgres(context), context.getRequiredTestClass().getSimpleName());
        };
    }

    /** Started on first use, closed by JUnit when the whole run ends (and by a shutdown hook otherwise). */
    private static PostgresServer sharedPostgres(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(PostgresServer.class, key -> PostgresServer.start(), PostgresServer.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == BackendDatabase.class || type == StandaloneServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ClassResources resources = context.getStore(NAMESPACE).get(ClassResources.class, ClassResources.class);
        if (resources == null) {
            throw new ParameterResolutionException("no database yet: ask for it in @BeforeAll, @BeforeEach or a test");
        }
        return parameter.getParameter().getType() == StandaloneServer.class ? resources.server() : resources.database();
    }

    /** What one test class holds: its database and maybe a server on it; the server stops first. */
    private static final class ClassResources implements ExtensionContext.Store.CloseableResource {
        private final BackendDatabase database;
        private StandaloneServer server;

        ClassResources(BackendDatabase database) {
            this.database = database;
        }

        BackendDatabase database() {
            return database;
        }

        synchronized StandaloneServer server() {
            if (server == null) {
                server = StandaloneServer.start(database);
            }
            return server;
        }

        @Override
        public synchronized void close() {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                database.close();
            }
        }
    }
}
