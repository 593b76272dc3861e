package io.clusterplatform.provisioner.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a fresh database on the named backend, deleted after the class. Tests ask for
 * it as a parameter: {@link BackendDatabase} to start servers themselves (restart tests), or {@link
 * StandaloneServer} for one server on that database shared by the class's tests and stopped after them.
 *
 * <pre>{@code
 * @UseBackend(Backend.POSTGRESQL)
 * class PostgresLocalnodeStoreTest extends LocalnodeStoreContract {}
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BackendExtension.class)
public @interface UseBackend {
    Backend value();
}
