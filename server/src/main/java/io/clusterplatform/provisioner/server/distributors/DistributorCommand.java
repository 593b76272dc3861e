package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.distributors.DistributorCommandStatus;
import java.time.Instant;

/**
 * A command for a distributor: {@code update} (payload: {@link UpdatePayload}) or {@code status} (payload:
 * {@code {"on": true}}). Status (the wire name of a {@link DistributorCommandStatus}, as the API shows
 * it; {@link #state} is the same as the enum): pending (never fetched), delivered (fetched, not yet acknowledged:
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
        Instant finishedAt) {

    /** The status as a {@link DistributorCommandStatus}. */
    public DistributorCommandStatus state() {
        return DistributorCommandStatus.ofWireName(status);
    }
}
