package io.clusterplatform.provisioner.distributor.runs;

import io.clusterplatform.provisioner.distributor.link.ServerLink;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output of one script run on its way to the server: collected as it arrives and sent every
 * {@link #EVERY} in chunks at known offsets, so a chunk sent again after a lost answer is stored once.
 * While the server is away the text waits here, up to a bit more than the server keeps.
 */
final class RunOutput implements NodeShell.OutputSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunOutput.class);
    static final Duration EVERY = Duration.ofMillis(250);
    /** The server keeps 1 Mi characters per stream; one more tells it that more was cut. */
    static final int KEEP = 1024 * 1024 + 1;

    private static final int CHUNK = 64 * 1024;

    private final ServerLink link;
    private final long distributorId;
    private final long runId;
    private final Stream stdout = new Stream("stdout");
    private final Stream stderr = new Stream("stderr");
    private final ScheduledExecutorService flusher;

    private static final class Stream {
        final String name;
        final StringBuilder pending = new StringBuilder();
        int sent; // characters the server has
        int total; // characters taken in (sent + pending), at most KEEP

        Stream(String name) {
            this.name = name;
        }
    }

    RunOutput(ServerLink link, long distributorId, long runId) {
        this.link = link;
        this.distributorId = distributorId;
        this.runId = runId;
        this.flusher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("run-" + runId + "-output").factory());
        flusher.scheduleWithFixedDelay(this::flushQuietly, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stdout(String chunk) {
        take(stdout, chunk);
    }

    @Override
    public void stderr(String chunk) {
        take(stderr, chunk);
    }

    private static void take(Stream stream, String chunk) {
        synchronized (stream) {
            int room = KEEP - stream.total;
            if (room <= 0) {
                return;
            }
            String kept = chunk.length() <= room ? chunk : chunk.substring(0, room);
            stream.pending.append(kept);
            stream.total += kept.length();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException e) {
            log.debug("output of run {} waits: {}", runId, e.getMessage());
        }
    }

    /** Sends what is pending of both streams; throws when the server cannot be reached. */
    synchronized void flush() throws IOException {
        send(stdout);
        send(stderr);
    }

    private void send(Stream stream) throws IOException {
        while (true) {
            String text;
            int offset;
            synchronized (stream) {
                if (stream.pending.isEmpty()) {
                    return;
                }
                text = stream.pending.substring(0, Math.min(CHUNK, stream.pending.length()));
                offset = stream.sent;
            }
            try {
                link.sendOutput(distributorId, runId, stream.name, offset, text);
            } catch (ServerLink.Refused e) {
                log.warn("the server refused output of run {}: {}; dropping it", runId, e.getMessage());
            }
            synchronized (stream) {
                stream.pending.delete(0, text.length());
                stream.sent += text.length();
            }
        }
    }

    /** Stops the timer and sends the rest, retrying a while if the server is away. */
    @Override
    public void close() {
        flusher.shutdownNow();
        for (int attempt = 1; attempt <= 20; attempt++) {
            try {
                flush();
                return;
            } catch (IOException e) {
                ScriptRunner.sleep(Duration.ofSeconds(Math.min(attempt, 10)));
            }
        }
        log.error("gave up sending the last output of run {}", runId);
    }
}
