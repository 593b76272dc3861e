package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A command for a distributor: {@code update} (payload: {@link UpdatePayload}) or {@code status} (payload:
 * {@code {"on": true}}). Status: pending (never fetched), delivered (fetched, not yet acknowledged:
 * it is delivered again on the next poll), done or failed (acknowledged once, with the agent's output
 * or error).
 */
public record DistributorCommand(
        long id,
        long distributorId,
        String kind,
        JsonNode payload,
        String status,
        int deliveries,
        String output,
        String error,
        Instant createdAt,
        Instant deliveredAt,
        Instant finishedAt) {}
