package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.distributors.DistributorCommandStatus;
import io.clusterplatform.provisioner.core.distributors.protocol.AgentCommand;
import io.clusterplatform.provisioner.core.distributors.protocol.CommandKind;
import io.clusterplatform.provisioner.core.distributors.protocol.DnsmasqConfigReport;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A command for a distributor as stored and listed: its {@link CommandKind}'s wire name and its payload
 * (the {@link AgentCommand#fields()} of an {@code update}, {@code status} or {@code script}). Status (the wire name of a {@link DistributorCommandStatus}, as the API shows
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The status as a {@link DistributorCommandStatus}. */
    public DistributorCommandStatus state() {
        return DistributorCommandStatus.ofWireName(status);
    }

    /** The command, typed; empty for a kind this release does not know. */
    public Optional<AgentCommand> command() {
        Map<String, Object> fields = JSON.convertValue(payload, new TypeReference<Map<String, Object>>() {});
        return CommandKind.ofWireName(kind).map(k -> AgentCommand.fromFields(k, fields == null ? Map.of() : fields));
    }

    /** What the dashboard calls it: {@code PXE on} or {@code PXE off} for a status command, else its kind. */
    public String summary() {
        if (CommandKind.STATUS.wireName().equals(kind)) {
            return "PXE " + (payload != null && payload.path("on").asBoolean() ? "on" : "off");
        }
        return kind;
    }

    /** The dnsmasq configuration the agent reported with this command, if it reported one. */
    public Optional<DnsmasqConfigReport> configuration() {
        return DnsmasqConfigReport.readFrom(output);
    }
}
