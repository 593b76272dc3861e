package io.clusterplatform.provisioner.distributor.pxe;

import io.clusterplatform.provisioner.core.distributors.DnsmasqConfig;
import io.clusterplatform.provisioner.core.jobs.RetryBackoff;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dnsmasq as a supervised child process: started in the foreground with its log on stderr (read line by
 * line), considered up when it says its DHCP sockets are bound, restarted with growing pauses when it
 * dies on its own, stopped with SIGTERM. Its pid file lives in the agent's state directory, so a new
 * agent stops the dnsmasq a killed agent left behind before it starts its own.
 */
public final class DnsmasqService implements PxeService {
    private static final Logger log = LoggerFactory.getLogger(DnsmasqService.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final RetryBackoff RESTARTS = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** A dnsmasq that ran this long counts as healthy again: the next crash restarts it after 1 s. */
    private static final Duration HEALTHY_AFTER = Duration.ofSeconds(60);

    private final String program;
    private final Path pidFile;
    private final Listener listener;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dnsmasq-restarts");
        t.setDaemon(true);
        return t;
    });

    private Process process;
    private Thread reader;
    private Path config;
    private String configText;
    private boolean wanted;
    private int crashes;
    private long startedAt;

    public DnsmasqService(String program, Path stateDir, Listener listener) {
        this.program = program;
        this.pidFile = stateDir.resolve("dnsmasq.pid");
        this.listener = listener;
    }

    /** Stops a dnsmasq that a previous agent with this state directory started and left running. */
    public void stopLeftover() {
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid)
                    .filter(p -> p.info().commandLine().orElse("").contains(pidFile.toString()))
                    .ifPresent(p -> {
                        log.warn("stopping the dnsmasq (pid {}) a previous agent left running", pid);
                        p.destroy();
                        try {
                            p.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (Exception e) {
                            p.destroyForcibly();
                        }
                    });
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            log.warn("cannot read {}: {}", pidFile, e.getMessage());
        }
    }

    @Override
    public synchronized String start(Path configFile) throws IOException {
        String text = Files.readString(configFile);
        wanted = true;
        if (process != null && process.isAlive() && configFile.equals(config) && text.equals(configText)) {
            return "dnsmasq is already running (pid " + process.pid() + ") with this configuration";
        }
        boolean restart = process != null && process.isAlive();
        kill();
        config = configFile;
        configText = text;
        crashes = 0;
        launch();
        return "dnsmasq " + (restart ? "restarted" : "started") + " (pid " + process.pid() + ")";
    }

    @Override
    public synchronized void stop() {
        wanted = false;
        kill();
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
        restarts.shutdownNow();
    }

    /** Starts dnsmasq and waits until it answers; throws with its last lines when it exits instead. */
    private void launch() throws IOException {
        List<String> command = List.of(
                program, "--keep-in-foreground", "--conf-file=" + config, "--log-facility=-", "--pid-file=" + pidFile);
        Process started;
        try {
            started = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw ProblemException.invalid(
                    "cannot run " + program + " (install the dnsmasq-base package): " + e.getMessage());
        }
        CountDownLatch ended = new CountDownLatch(1); // the ready line came, or the output ended
        AtomicBoolean ready = new AtomicBoolean();
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> read(started, ready, ended, tail), "dnsmasq-" + started.pid() + "-log");
        reader.setDaemon(true);
        reader.start();
        boolean up;
        boolean exited;
        try {
            up = ended.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && ready.get() && started.isAlive();
            // Its output ends a moment before the process is gone.
            exited = !up && started.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.destroyForcibly();
            throw new IOException("interrupted while starting dnsmasq", e);
        }
        if (!up) {
            started.destroyForcibly();
            waitFor(started);
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String lines;
            synchronized (tail) {
                lines = String.join("\n", tail);
            }
            String why = exited
                    ? "exited with code " + started.exitValue()
                    : "did not finish starting within " + START_TIMEOUT.toSeconds() + " s";
            throw ProblemException.invalid("dnsmasq " + why + ":\n" + lines);
        }
        process = started;
        this.reader = reader;
        startedAt = System.nanoTime();
        started.onExit().thenRun(() -> exited(started));
    }

    private void read(Process p, AtomicBoolean ready, CountDownLatch ended, Deque<String> tail) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
                log.debug("{}", line);
                listener.line(line);
                if (line.contains(DnsmasqConfig.READY_LINE)) {
                    ready.set(true);
                    ended.countDown();
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            ended.countDown();
        }
    }

    private synchronized void exited(Process p) {
        if (p != process || !wanted) {
            return;
        }
        long ranFor = System.nanoTime() - startedAt;
        crashes = ranFor > HEALTHY_AFTER.toNanos() ? 1 : crashes + 1;
        Duration pause = RESTARTS.delayAfter(crashes);
        String message = "dnsmasq (pid " + p.pid() + ") exited with code " + p.exitValue() + "; restarting in "
                + pause.toMillis() + " ms";
        log.warn(message);
        listener.note(message);
        process = null;
        restarts.schedule(this::restartAfterCrash, pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restartAfterCrash() {
        if (!wanted || (process != null && process.isAlive())) {
            return;
        }
        try {
            launch();
            listener.note("dnsmasq restarted (pid " + process.pid() + ")");
        } catch (IOException | RuntimeException e) {
            crashes++;
            Duration pause = RESTARTS.delayAfter(crashes);
            String message =
                    "dnsmasq did not come back: " + e.getMessage() + "; trying again in " + pause.toMillis() + " ms";
            log.warn(message);
            listener.note(message);
            restarts.schedule(this::restartAfterCrash, pause.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void kill() {
        Process p = process;
        process = null;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!waitFor(p)) {
            p.destroyForcibly();
            waitFor(p);
        }
        try {
            reader.join(STOP_TIMEOUT.toMillis()); // its last lines ("exiting on receipt of SIGTERM") are read
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(Process p) {
        try {
            return p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "dnsmasq " + Arrays.asList(program, config);
    }
}
