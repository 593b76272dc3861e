package io.clusterplatform.provisioner.server.liveness;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.distributors.Distributor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * What distributors' checks found, written onto the localnodes: {@code reachable}, {@code sshOpen},
 * {@code lastCheckedAt}, {@code lastReachableAt}, {@code checkedBy}; {@code pingable} follows the
 * last check and {@code lastSeen} moves to a check that reached the node. A change of {@code
 * reachable} (and the first check) is recorded as a node event, in the same statement that makes
 * the change, so two reports racing for one node record it once.
 */
@Repository
public class LivenessStore {
    /** The port the agents try: the nodes' SSH port. */
    public static final int SSH_PORT = 22;

    /** A node a distributor should check. */
    public record Target(long id, String ip, int sshPort) {}

    private record Owner(long id, String artifactId, String ip) {}

    private static final String APPLY = "UPDATE localnodes SET reachable = ?, ssh_open = ?, pingable = ?,"
            + " last_checked_at = ?, checked_by = ?,"
            + " last_reachable_at = CASE WHEN ? THEN ? ELSE last_reachable_at END,"
            + " last_seen = CASE WHEN ? AND last_seen < ? THEN ? ELSE last_seen END"
            + " WHERE id = ? AND (last_checked_at IS NULL OR last_checked_at <= ?)";

    private final JdbcClient jdbc;
    private final NodeEventStore events;
    private final Clock clock;

    public LivenessStore(JdbcClient jdbc, NodeEventStore events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** The verified localnodes of {@code artifactId}, by id: a distributor probes no unverified claim. */
    public List<Target> targets(String artifactId) {
        return jdbc.sql("SELECT id, ip FROM localnodes WHERE artifact_id = ? AND verified ORDER BY id")
                .param(artifactId)
                .query((rs, row) -> new Target(rs.getLong("id"), rs.getString("ip"), SSH_PORT))
                .list();
    }

    /**
     * Applies the results of one report of {@code distributor}; returns how many nodes it updated.
     * A node deleted meanwhile, or one with a newer check already, is left alone (not counted). A
     * node of another artifactId is refused with 403 before anything is written; an address that is
     * not the node's with 400. A {@code checkedAt} in the future (a fast clock) counts as now.
     */
    @Transactional
    public int record(Distributor distributor, List<CheckResult> results) {
        Map<Long, Owner> owners = owners(results);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<CheckResult> known = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            CheckResult result = results.get(i);
            Owner owner = owners.get(result.nodeId());
            if (owner == null) {
                continue; // deleted since the agent fetched its list
            }
            if (!owner.artifactId().equals(distributor.artifactId())) {
                throw new ProblemException(
                        403,
                        "Forbidden",
                        "'results[" + i + "].nodeId' " + result.nodeId() + " is not a node of artifactId "
                                + distributor.artifactId() + ": a distributor reports only on the nodes of its own"
                                + " artifactId");
            }
            if (!NodeAddresses.canonicalIp(owner.ip()).equals(result.ip())) {
                throw ProblemException.invalid("'results[" + i + "].ip' " + result.ip() + " is not the address of node "
                        + result.nodeId() + " (" + owner.ip() + ")");
            }
            known.add(
                    result.checkedAt().isAfter(now)
                            ? new CheckResult(result.nodeId(), result.ip(), result.reachable(), result.sshOpen(), now)
                            : result);
        }
        // One lock order for every report, so that two distributors reporting on the same nodes never deadlock.
        known.sort(Comparator.comparingLong(CheckResult::nodeId));
        int updated = 0;
        for (CheckResult result : known) {
            updated += apply(distributor, result);
        }
        return updated;
    }

    private Map<Long, Owner> owners(List<CheckResult> results) {
        List<Long> ids = results.stream().map(CheckResult::nodeId).toList();
        return jdbc
                .sql("SELECT id, artifact_id, ip FROM localnodes WHERE id IN (:ids)")
                .param("ids", ids)
                .query((rs, row) -> new Owner(rs.getLong("id"), rs.getString("artifact_id"), rs.getString("ip")))
                .list()
                .stream()
                .collect(Collectors.toMap(Owner::id, o -> o));
    }

    /** 1 when the node took the result, 0 when it is gone or has a newer check. */
    private int apply(Distributor distributor, CheckResult result) {
        var at = result.checkedAt().atOffset(ZoneOffset.UTC);
        List<Object> params = new ArrayList<>(List.of(result.reachable()));
        params.add(result.sshOpen());
        params.addAll(List.of(
                result.reachable(),
                at,
                distributor.id(),
                result.reachable(),
                at,
                result.reachable(),
                at,
                at,
                result.nodeId(),
                at));
        List<Object> changing = new ArrayList<>(params);
        changing.add(result.reachable());
        int changed = jdbc.sql(APPLY + " AND reachable IS DISTINCT FROM ?")
                .params(changing)
                .update();
        if (changed > 0) {
            events.record(
                    result.nodeId(),
                    NodeEventKind.of(result.reachable()),
                    result.checkedAt(),
                    describe(distributor, result));
            return changed;
        }
        return jdbc.sql(APPLY).params(params).update();
    }

    static String describe(Distributor distributor, CheckResult result) {
        String by = "distributor " + distributor.id() + " (" + distributor.hostname() + ")";
        if (!result.reachable()) {
            return "not reached by " + by + ": no answer on ssh port " + SSH_PORT + " or to ping";
        }
        String ssh = result.sshOpen() == null
                ? ""
                : Boolean.TRUE.equals(result.sshOpen())
                        ? "; ssh port " + SSH_PORT + " open"
                        : "; ssh port " + SSH_PORT + " closed";
        return "reached by " + by + ssh;
    }
}
