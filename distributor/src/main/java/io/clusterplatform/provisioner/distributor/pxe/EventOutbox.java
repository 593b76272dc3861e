package io.clusterplatform.provisioner.distributor.pxe;

import io.clusterplatform.provisioner.distributor.link.BootEvent;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot events waiting for the server. They stay here while the server is unreachable, up to {@link
 * #CAPACITY} (then the oldest go, and an event says how many); an upload removes only what the server
 * accepted. Sequence numbers start at the agent's start time in microseconds, so they keep growing
 * across agent restarts without being stored.
 */
public final class EventOutbox implements PxeService.Listener {
    static final int CAPACITY = 10_000;
    static final int BATCH = 500;
    /** The server keeps at most this many characters of a message and of a file name. */
    static final int MAX_MESSAGE = 2000;

    static final int MAX_FILE = 1000;
    private static final Logger log = LoggerFactory.getLogger(EventOutbox.class);

    private final Deque<BootEvent> pending = new ArrayDeque<>();
    private final BootLogParser parser;
    private final Clock clock;
    private long nextSeq;
    private long dropped;

    public EventOutbox(BootLogParser parser, Clock clock) {
        this.parser = parser;
        this.clock = clock;
        this.nextSeq = clock.millis() * 1000;
    }

    @Override
    public void line(String line) {
        parser.parse(line).ifPresent(p -> add(p.kind(), p.mac(), p.ip(), p.file(), p.message()));
    }

    @Override
    public void note(String message) {
        add("service", null, null, null, message);
    }

    synchronized void add(String kind, String mac, String ip, String file, String message) {
        if (pending.size() >= CAPACITY) {
            pending.removeFirst();
            dropped++;
        }
        append(kind, mac, ip, file, message);
    }

    /** Appends without making room: the one note about dropped events may exceed the capacity. */
    private void append(String kind, String mac, String ip, String file, String message) {
        BootEvent event = new BootEvent(
                nextSeq++, clock.instant(), kind, mac, ip, cut(file, MAX_FILE), cut(message, MAX_MESSAGE));
        log.info("boot event: {} {} {} {}", kind, mac == null ? "-" : mac, ip == null ? "-" : ip, message);
        pending.addLast(event);
        notifyAll();
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** The oldest events, at most {@link #BATCH}, waiting up to {@code millis} for one to come. */
    public synchronized List<BootEvent> peek(long millis) throws InterruptedException {
        if (pending.isEmpty() && millis > 0) {
            wait(millis);
        }
        if (dropped > 0) {
            long lost = dropped;
            dropped = 0;
            append("service", null, null, null, lost + " boot events were dropped while the server was unreachable");
        }
        List<BootEvent> batch = new ArrayList<>(Math.min(BATCH, pending.size()));
        for (BootEvent e : pending) {
            if (batch.size() == BATCH) {
                break;
            }
            batch.add(e);
        }
        return batch;
    }

    /** Removes events the server has accepted (by sequence number). */
    public synchronized void remove(List<BootEvent> sent) {
        long last = sent.isEmpty() ? Long.MIN_VALUE : sent.get(sent.size() - 1).seq();
        while (!pending.isEmpty() && pending.peekFirst().seq() <= last) {
            pending.removeFirst();
        }
    }

    synchronized int size() {
        return pending.size();
    }
}
