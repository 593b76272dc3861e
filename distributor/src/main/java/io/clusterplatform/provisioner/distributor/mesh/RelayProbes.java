package io.clusterplatform.provisioner.distributor.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.mesh.RelayProbe;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures the round trip to each relay of the network: {@link #TRIES} probes ({@link RelayProbe})
 * one after another to the relay's endpoint, all within one wait; the fastest answer counts. A relay
 * that answers none within the wait did not answer (the server then takes it for unreachable from
 * this node, and moves the node's pairs to a relay that answers).
 */
final class RelayProbes {
    static final int TRIES = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RelayProbes() {}

    /**
     * The last {@link #ROUNDS} rounds of measurements, as reported: the fastest round trip of them for
     * each relay (so that one slow round, a pause of the agent or a busy link, moves no pair), and no
     * answer as soon as the latest round had none (so that pairs leave a relay that went away at once).
     */
    static final class Window {
        static final int ROUNDS = 3;
        private final Map<Long, java.util.ArrayDeque<Long>> rounds = new java.util.HashMap<>();

        /** Adds a round ({@link #measure}'s answer) and answers what to report, in the round's order. */
        synchronized Map<Long, Long> add(Map<Long, Long> round) {
            rounds.keySet().retainAll(round.keySet());
            Map<Long, Long> report = new LinkedHashMap<>();
            round.forEach((relay, micros) -> {
                java.util.ArrayDeque<Long> last = rounds.computeIfAbsent(relay, r -> new java.util.ArrayDeque<>());
                if (micros == null) {
                    last.clear();
                    report.put(relay, null);
                    return;
                }
                last.addLast(micros);
                while (last.size() > ROUNDS) {
                    last.removeFirst();
                }
                report.put(relay, java.util.Collections.min(last));
            });
            return report;
        }
    }

    /** A relay as the peer map names it. */
    record Target(long nodeId, String hostname, String endpoint) {
        static List<Target> list(JsonNode relays) {
            List<Target> list = new ArrayList<>();
            for (JsonNode r : relays) {
                if (r.path("endpoint").isTextual()) {
                    list.add(new Target(
                            r.path("nodeId").asLong(),
                            r.path("hostname").asText(),
                            r.path("endpoint").asText()));
                }
            }
            return List.copyOf(list);
        }

        InetSocketAddress address() {
            int colon = endpoint.lastIndexOf(':');
            String host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(host, Integer.parseInt(endpoint.substring(colon + 1)));
        }
    }

    /** The round trip to each relay in microseconds, by node id, in the targets' order; null for no answer. */
    static Map<Long, Long> measure(List<Target> targets, Duration wait) {
        Map<Long, Long> rtts = new ConcurrentHashMap<>();
        List<Thread> probes = new ArrayList<>();
        for (Target target : targets) {
            probes.add(Thread.ofVirtual().start(() -> {
                long rtt = probe(target, wait);
                if (rtt > 0) {
                    rtts.put(target.nodeId(), rtt);
                }
            }));
        }
        for (Thread probe : probes) {
            try {
                probe.join(wait.toMillis() + 500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Map<Long, Long> ordered = new LinkedHashMap<>();
        for (Target target : targets) {
            ordered.put(target.nodeId(), rtts.get(target.nodeId()));
        }
        return ordered;
    }

    /** The fastest of {@link #TRIES} round trips to {@code target} in microseconds, or 0 for none within {@code wait}. */
    private static long probe(Target target, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long best = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(target.address());
            byte[] answer = new byte[RelayProbe.LENGTH + 1];
            for (int i = 0; i < TRIES; i++) {
                long nonce = RANDOM.nextLong();
                byte[] probe = RelayProbe.probe(nonce);
                long sent = System.nanoTime();
                socket.send(new DatagramPacket(probe, probe.length));
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        return best;
                    }
                    socket.setSoTimeout((int) left);
                    DatagramPacket packet = new DatagramPacket(answer, answer.length);
                    socket.receive(packet);
                    if (RelayProbe.nonce(answer, packet.getLength()).orElse(~nonce) == nonce) {
                        long rtt = Math.max(1, (System.nanoTime() - sent) / 1000);
                        best = best == 0 ? rtt : Math.min(best, rtt);
                        break;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            return best;
        } catch (IOException | IllegalArgumentException e) {
            return best; // port unreachable, no route: no answer
        }
        return best;
    }
}
