package io.clusterplatform.provisioner.server.liveness;

import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The events of nodes: registrations and changes of reachability, kept with the node. */
@Repository
public class NodeEventStore {
    /** The longest detail kept; longer ones are cut. */
    static final int MAX_DETAIL = 2000;

    /** An event to record with {@link #recordAll}. */
    public record NewEvent(long nodeId, NodeEventKind kind, Instant at, String detail) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public NodeEventStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Records events of existing nodes as one JDBC batch (one round trip to the database). */
    public void recordAll(List<NewEvent> events) {
        template.batchUpdate(
                "INSERT INTO node_events (node_id, at, kind, detail) VALUES (?, ?, ?, ?)",
                events.stream()
                        .map(e -> new Object[] {
                            e.nodeId(),
                            e.at().atOffset(ZoneOffset.UTC),
                            e.kind().wireName(),
                            cut(e.detail())
                        })
                        .toList());
    }

    /** Records an event of an existing node (a node deleted meanwhile makes this fail). */
    public void record(long nodeId, NodeEventKind kind, Instant at, String detail) {
        jdbc.sql("INSERT INTO node_events (node_id, at, kind, detail) VALUES (?, ?, ?, ?)")
                .params(nodeId, at.atOffset(ZoneOffset.UTC), kind.wireName(), cut(detail))
                .update();
    }

    /** The newest {@code limit} events of the node, newest first. */
    public List<NodeEvent> newest(long nodeId, int limit) {
        return jdbc.sql("SELECT * FROM node_events WHERE node_id = ? ORDER BY at DESC, id DESC LIMIT ?")
                .params(nodeId, limit)
                .query(NodeEventStore::map)
                .list();
    }

    /** Deletes the events older than {@code cutoff}; returns how many. */
    public int deleteBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM node_events WHERE at < ?")
                .param(cutoff.atOffset(ZoneOffset.UTC))
                .update();
    }

    private static String cut(String detail) {
        if (detail == null || detail.length() <= MAX_DETAIL) {
            return detail;
        }
        return detail.substring(0, MAX_DETAIL - 3) + "...";
    }

    private static NodeEvent map(ResultSet rs, int row) throws SQLException {
        return new NodeEvent(
                rs.getLong("id"),
                rs.getLong("node_id"),
                Rows.instant(rs, "at"),
                NodeEventKind.parse(rs.getString("kind")).orElseThrow(),
                rs.getString("detail"));
    }
}
