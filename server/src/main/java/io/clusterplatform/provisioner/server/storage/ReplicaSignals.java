package io.clusterplatform.provisioner.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Wake-ups between replicas: what one replica committed and another replica's long polls wait for
 * (a command queued for a distributor, a script run's output, a mesh network's new peer-map version).
 * On PostgreSQL a wake-up is a {@code NOTIFY} on the channel {@value #CHANNEL}, sent through the
 * caller's connection, so inside a transaction it is delivered when that commits and never before;
 * every replica {@code LISTEN}s on a connection of its own (outside the pool) and hands each wake-up
 * to the listeners of its topic. The embedded database has one replica: there it does nothing.
 *
 * <p>A wake-up may be lost (the listening connection broke, the notify failed): it only makes a poll
 * answer sooner. Every long poll still reads the database at least once per {@link #recheck()} (1 s),
 * and after the listening connection is made again every listener is woken once, to look.
 */
@Component
public class ReplicaSignals implements SmartLifecycle {
    /** The PostgreSQL notification channel. */
    public static final String CHANNEL = "provisioner_signals";

    /** The detail every listener gets after the listening connection was (re)made: look, something may have changed. */
    public static final String RESYNC = "";

    private static final Logger log = LoggerFactory.getLogger(ReplicaSignals.class);
    private static final int WAIT_MILLIS = 500;

    private final JdbcClient jdbc;
    private final HikariDataSource pool;
    private final Duration recheck;
    private final String self = HexFormat.of().formatHex(randomBytes());
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread listener;
    private volatile boolean running;

    public ReplicaSignals(
            JdbcClient jdbc, DataSource dataSource, @Value("${provisioner.replicas.recheck:1s}") Duration recheck) {
        if (recheck.isNegative() || recheck.isZero()) {
            throw new IllegalArgumentException("provisioner.replicas.recheck must be positive, got " + recheck);
        }
        this.jdbc = jdbc;
        this.pool = (HikariDataSource) dataSource; // DatabaseConfig's pool: the address to listen on
        this.recheck = recheck;
    }

    /**
     * How long a long poll waits for a wake-up before it looks at the database anyway
     * ({@code PROVISIONER_REPLICAS_RECHECK}, 1 s): the most a lost wake-up delays it.
     */
    public Duration recheck() {
        return recheck;
    }

    /** Whether wake-ups cross replicas (PostgreSQL) rather than staying in this process. */
    public boolean shared() {
        return pool.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    /**
     * Calls {@code listener} with the detail of every wake-up of {@code topic} another replica sent,
     * and with {@link #RESYNC} after the listening connection was made again. Listeners run on the
     * listening thread: they must be quick (wake a local signal).
     */
    public void on(String topic, Consumer<String> listener) {
        requireWord(topic);
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /**
     * Tells the other replicas' listeners of {@code topic}; on PostgreSQL in the caller's transaction
     * if it is in one. Never fails the caller: a lost wake-up only delays a poll by up to a second.
     */
    public void announce(String topic, String detail) {
        requireWord(topic);
        if (!shared()) {
            return;
        }
        try {
            jdbc.sql("SELECT pg_notify(?, ?)")
                    .param(CHANNEL)
                    .param(self + " " + topic + " " + detail)
                    .query((rs, row) -> 1)
                    .list();
        } catch (DataAccessException e) {
            log.debug("Could not tell the other replicas of {} {}: {}", topic, detail, e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (shared()) {
            listener = Thread.ofPlatform().name("replica-signals").daemon(true).start(this::listen);
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        stopped.countDown();
        Thread thread = listener;
        if (thread != null) {
            try {
                thread.join(WAIT_MILLIS * 4L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        boolean warned = false;
        while (running) {
            try (Connection connection = connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (warned) {
                    log.info("Listening to the other replicas again");
                    warned = false;
                }
                deliverToAll(RESYNC);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            deliver(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    log.warn(
                            "Not listening to the other replicas' wake-ups (trying again every second; polls"
                                    + " still look every second): {}",
                            e.toString());
                    warned = true;
                }
                try {
                    if (stopped.await(1, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties credentials = new Properties();
        if (pool.getUsername() != null && !pool.getUsername().isBlank()) {
            credentials.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null && !pool.getPassword().isBlank()) {
            credentials.setProperty("password", pool.getPassword());
        }
        credentials.setProperty("ApplicationName", "provisioner replica signals");
        return DriverManager.getConnection(pool.getJdbcUrl(), credentials);
    }

    /** A payload is {@code <sender> <topic> <detail>}; this replica's own are not delivered again. */
    void deliver(String payload) {
        String[] parts = payload.split(" ", 3);
        if (parts.length < 2 || parts[0].equals(self)) {
            return;
        }
        String detail = parts.length == 3 ? parts[2] : "";
        for (Consumer<String> each : listeners.getOrDefault(parts[1], List.of())) {
            call(each, detail);
        }
    }

    private void deliverToAll(String detail) {
        listeners.values().forEach(list -> list.forEach(each -> call(each, detail)));
    }

    private static void call(Consumer<String> listener, String detail) {
        try {
            listener.accept(detail);
        } catch (RuntimeException e) {
            log.warn("A wake-up listener failed: {}", e.toString());
        }
    }

    private static void requireWord(String topic) {
        if (topic.isEmpty() || !topic.chars().allMatch(c -> c == '-' || Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("a topic is one word: " + topic);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
