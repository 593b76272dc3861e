/**
 * The server's test harness. Every test talks to the real server over HTTP ({@link Api}) or to its
 * beans; the question is only how it gets that server. There is one way per kind of test:
 *
 * <dl>
 *   <dt>API and dashboard tests: {@code extends} {@link ServerIntegrationTest} (or {@link
 *       DashboardBrowserTest})
 *   <dd>The server in this JVM, in the one Spring test context the whole run shares: Spring's context
 *       cache starts it once for every subclass, so an API test costs its requests only. The price is
 *       shared data: create what you read and search for it, never count rows or expect ids. Its
 *       {@code @SpringBootTest} configuration must stay the same everywhere: each distinct one (other
 *       properties, {@code @TestPropertySource}, {@code @MockBean}, {@code @DirtiesContext}) starts and
 *       keeps another server for the rest of the run.
 *   <dt>Tests that need a server of their own: {@link StandaloneServer}
 *   <dd>The same server, in this JVM, started by the test and stopped when it closes it. For what the
 *       shared context cannot give: settings of their own ({@code startFresh("--name=value")}: liveness
 *       thresholds of seconds instead of minutes, a coalescing window, closed boot endpoints, an
 *       access log), a fresh database (the original tutorial expects ids from 1; the timeline test
 *       empties tables before each test and sees every request from 127.0.0.1), or a stop and a start
 *       on the same data directory ({@code start(dataDir)}: restart tests, the bootstrap token). Giving
 *       these tests {@code @SpringBootTest} properties instead would add a cached context per
 *       configuration that stays up until the run ends, and a test context cannot be restarted.
 *   <dt>Store contracts, per backend: {@link UseBackend @UseBackend(Backend.H2 | POSTGRESQL)}
 *   <dd>An abstract {@code ...Contract} holds the tests, a subclass per backend only names it. The
 *       extension gives the class a fresh {@link BackendDatabase} (PostgreSQL: one {@link
 *       PostgresServer} for the whole run, a database per class) and, when a test asks for it as a
 *       parameter, a {@link StandaloneServer} on it, stopped after the class. The job queue's tests
 *       take only the database ({@link BackendDatabase#jdbcUrl()}) and open connection pools on it (the
 *       contract two: two server processes), without a server.
 *   <dt>Crash, lab and benchmark tests: {@link ServerProcess}
 *   <dd>The server in a JVM of its own: to kill it with SIGKILL as a crash would (build restart), to run
 *       it in a network namespace of a {@link Lab} ({@code startIn}), or to measure it without the test
 *       JVM's threads and heap. Lab tests (names ending in {@code LabTest}) need root and namespaces
 *       and run on their own, never in parallel with each other.
 * </dl>
 *
 * <p>Helpers for every kind: {@link Api} (HTTP as the operator, an agent or nobody), {@link Json}
 * (request bodies from maps and records, not hand-escaped strings), {@link Agents} (a distributor
 * agent enrolled as the operator and the agent do it), {@link ThrowawayDirectory}, {@link Clocks}.
 */
package io.clusterplatform.provisioner.server.testing;
