package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.distributors.DistributorCommandStatus;
import io.clusterplatform.provisioner.core.distributors.DistributorRules;
import io.clusterplatform.provisioner.core.distributors.protocol.AgentCommand;
import io.clusterplatform.provisioner.core.distributors.protocol.CommandKind;
import io.clusterplatform.provisioner.core.distributors.protocol.DnsmasqConfigReport;
import io.clusterplatform.provisioner.core.distributors.protocol.StatusCommand;
import io.clusterplatform.provisioner.core.distributors.protocol.UpdateCommand;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.storage.LifecycleSql;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.storage.ListSpec;
import io.clusterplatform.provisioner.server.storage.ListSql;
import io.clusterplatform.provisioner.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Distributors and their commands. A command is a row: it survives restarts, is delivered on every
 * poll until the agent acknowledges it, and is acknowledged exactly once. {@link #transition} is the
 * only statement that changes a command's status once it is queued.
 */
@Repository
public class DistributorStore {
    private static final ListSql LIST = new ListSql(
            "distributors",
            new ListSpec(
                    Map.of(
                            "id", "id",
                            "artifactId", "artifact_id",
                            "hostname", "hostname",
                            "version", "version",
                            "lastSeen", "last_seen",
                            "registeredAt", "registered_at",
                            "device", "device",
                            "range", "dhcp_range"),
                    List.of("artifactId", "hostname", "version", "device", "range"),
                    "id"));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A command's status change, with when it was delivered ({@code delivered_at}) or finished. */
    private static final LifecycleSql<DistributorCommandStatus> COMMAND_STATUS = new LifecycleSql<>(
            "distributor_commands",
            DistributorCommandStatus::movingTo,
            Map.of(
                    DistributorCommandStatus.DELIVERED, "delivered_at",
                    DistributorCommandStatus.DONE, "finished_at",
                    DistributorCommandStatus.FAILED, "finished_at"));

    /** The outcome of a registration: the distributor, and whether it was new. */
    public record Registered(Distributor distributor, boolean created) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    public DistributorStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** Creates the distributor (artifactId, hostname) or updates its version, token and lastSeen. */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public Registered register(String artifactId, String hostname, String version, long tokenId) {
        return register(artifactId, hostname, version, tokenId, null);
    }

    /**
     * As {@link #register(String, String, String, long)}, with the networks of the distributor's
     * interfaces ({@code lanPrefixes}, comma-separated CIDRs; null from an agent of the previous
     * release, which keeps what was reported before).
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public Registered register(String artifactId, String hostname, String version, long tokenId, String lanPrefixes) {
        OffsetDateTime now = now();
        if (updateRegistration(artifactId, hostname, version, tokenId, lanPrefixes, now)) {
            return new Registered(byName(artifactId, hostname), false);
        }
        try {
            jdbc.sql("INSERT INTO distributors (artifact_id, hostname, version, token_id, registered_at, last_seen,"
                            + " lan_prefixes) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(artifactId, hostname, version, tokenId, now, now, lanPrefixes)
                    .update();
            return new Registered(byName(artifactId, hostname), true);
        } catch (DuplicateKeyException raced) {
            updateRegistration(artifactId, hostname, version, tokenId, lanPrefixes, now);
            return new Registered(byName(artifactId, hostname), false);
        }
    }

    /** The LAN prefixes the distributors of {@code artifactId} reported, comma-separated; empty when none did. */
    public List<String> lanPrefixes(String artifactId) {
        List<String> prefixes = new ArrayList<>();
        for (String reported : jdbc.sql(
                        "SELECT lan_prefixes FROM distributors WHERE artifact_id = ?" + " AND lan_prefixes IS NOT NULL")
                .param(artifactId)
                .query(String.class)
                .list()) {
            for (String prefix : reported.split(",")) {
                if (!prefix.isBlank()) {
                    prefixes.add(prefix.strip());
                }
            }
        }
        return prefixes;
    }

    private boolean updateRegistration(
            String artifactId, String hostname, String version, long tokenId, String lanPrefixes, OffsetDateTime now) {
        return jdbc.sql("UPDATE distributors SET version = ?, token_id = ?, last_seen = ?,"
                                + " lan_prefixes = COALESCE(?, lan_prefixes) WHERE artifact_id = ? AND hostname = ?")
                        .params(version, tokenId, now, lanPrefixes, artifactId, hostname)
                        .update()
                > 0;
    }

    private Distributor byName(String artifactId, String hostname) {
        return jdbc.sql("SELECT * FROM distributors WHERE artifact_id = ? AND hostname = ?")
                .params(artifactId, hostname)
                .query(this::map)
                .single();
    }

    public Optional<Distributor> find(long id) {
        return jdbc.sql("SELECT * FROM distributors WHERE id = ?")
                .param(id)
                .query(this::map)
                .optional();
    }

    public Distributor get(long id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("distributor " + id + " does not exist"));
    }

    public Page<Distributor> list(ListRequest request) {
        return LIST.page(jdbc, request, null, this::map);
    }

    /** Records that the distributor was seen now. */
    public void touch(long id) {
        jdbc.sql("UPDATE distributors SET last_seen = ? WHERE id = ?")
                .params(now(), id)
                .update();
    }

    /** Stores the settings and queues an {@code update} command carrying them (bootloaders of other servers). */
    @Transactional
    public DistributorCommand updateSettings(long id, DistributorSettings settings) {
        return updateSettings(id, settings.command(Map.of()));
    }

    /** Stores the command's settings and queues the {@code update} command with all it carries. */
    @Transactional
    public DistributorCommand updateSettings(long id, UpdateCommand update) {
        DistributorSettings settings = DistributorSettings.of(update);
        int updated = jdbc.sql("UPDATE distributors SET ipxe_pxe_uefi_url = ?, ipxe_pxe_bios_url = ?,"
                        + " settings_artifact_id = ?, device = ?, dhcp_range = ?, ipxe_pxe_arm64_url = ? WHERE id = ?")
                .params(
                        settings.ipxePxeUefiUrl(),
                        settings.ipxePxeBiosUrl(),
                        settings.artifactId(),
                        settings.device(),
                        settings.range(),
                        settings.ipxePxeArm64Url(),
                        id)
                .update();
        if (updated == 0) {
            throw ProblemException.notFound("distributor " + id + " does not exist");
        }
        return queue(id, update);
    }

    /** Stores the requested status and queues a {@code status} command. */
    @Transactional
    public DistributorCommand requestStatus(long id, boolean on) {
        if (jdbc.sql("UPDATE distributors SET status_on = ? WHERE id = ?")
                        .params(on, id)
                        .update()
                == 0) {
            throw ProblemException.notFound("distributor " + id + " does not exist");
        }
        return queue(id, new StatusCommand(on));
    }

    /** The distributors of an artifactId, the most recently seen first. */
    public List<Distributor> ofArtifact(String artifactId) {
        return jdbc.sql("SELECT * FROM distributors WHERE artifact_id = ? ORDER BY last_seen DESC, id DESC")
                .param(artifactId)
                .query(this::map)
                .list();
    }

    /** Queues a command of any kind (e.g. {@code script} from the script runs); its payload is its fields. */
    @Transactional
    public DistributorCommand queue(long distributorId, AgentCommand command) {
        String kind = command.kind().wireName();
        JsonNode payload = JSON.valueToTree(command.fields());
        org.springframework.jdbc.support.GeneratedKeyHolder keys =
                new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("INSERT INTO distributor_commands (distributor_id, kind, payload, status, created_at)"
                        + " VALUES (?, ?, ?, ?, ?)")
                .params(distributorId, kind, write(payload), DistributorCommandStatus.PENDING.wireName(), now())
                .update(keys, "id");
        return command(keys.getKeyAs(Number.class).longValue()).orElseThrow();
    }

    /**
     * The oldest unacknowledged command of the distributor, marked delivered, or empty. A delivered
     * command comes again until acknowledged: the agent must apply commands idempotently.
     */
    @Transactional
    public Optional<DistributorCommand> deliverNext(long distributorId) {
        List<DistributorCommandStatus> unacknowledged = Arrays.stream(DistributorCommandStatus.values())
                .filter(status -> !status.isFinal())
                .toList();
        List<Object> params = new ArrayList<>();
        params.add(distributorId);
        params.addAll(wireNames(unacknowledged));
        Optional<Long> next = jdbc.sql("SELECT id FROM distributor_commands WHERE distributor_id = ?"
                        + " AND status IN (" + placeholders(unacknowledged) + ") ORDER BY id LIMIT 1")
                .params(params)
                .query(Long.class)
                .optional();
        if (next.isEmpty()) {
            return Optional.empty();
        }
        transition(distributorId, next.get(), DistributorCommandStatus.DELIVERED, ", deliveries = deliveries + 1");
        return command(next.get());
    }

    /**
     * Acknowledges a command once with the agent's result: done when {@code ok}, failed otherwise. A
     * second acknowledgement is a 409.
     */
    @Transactional
    public DistributorCommand acknowledge(long distributorId, long commandId, boolean ok, String output, String error) {
        boolean updated = transition(
                distributorId,
                commandId,
                ok ? DistributorCommandStatus.DONE : DistributorCommandStatus.FAILED,
                ", output = ?, error = ?",
                output,
                error);
        DistributorCommand command = command(commandId)
                .filter(c -> c.distributorId() == distributorId)
                .orElseThrow(() ->
                        ProblemException.notFound("distributor " + distributorId + " has no command " + commandId));
        if (!updated) {
            throw ProblemException.conflict(
                    "command " + commandId + " was acknowledged already (" + command.status() + ")");
        }
        return command;
    }

    public Optional<DistributorCommand> command(long commandId) {
        return jdbc.sql("SELECT * FROM distributor_commands WHERE id = ?")
                .param(commandId)
                .query(DistributorStore::mapCommand)
                .optional();
    }

    /** The most recent commands of the distributor, newest first. */
    public List<DistributorCommand> recentCommands(long distributorId, int limit) {
        get(distributorId);
        return jdbc.sql("SELECT * FROM distributor_commands WHERE distributor_id = ? ORDER BY id DESC LIMIT ?")
                .params(distributorId, limit)
                .query(DistributorStore::mapCommand)
                .list();
    }

    /** The newest command of this kind, if any (e.g. the last {@code update}, whatever came after it). */
    public Optional<DistributorCommand> newestCommand(long distributorId, CommandKind kind) {
        return jdbc.sql("SELECT * FROM distributor_commands WHERE distributor_id = ? AND kind = ?"
                        + " ORDER BY id DESC LIMIT 1")
                .params(distributorId, kind.wireName())
                .query(DistributorStore::mapCommand)
                .optional();
    }

    /**
     * The newest command the agent carried out whose output shows the dnsmasq configuration it wrote
     * (an {@code update}, or a {@code status} that switched PXE on): the configuration in use. The
     * configuration is the output's last section ({@link DnsmasqConfigReport}).
     */
    public Optional<DistributorCommand> newestWithConfiguration(long distributorId) {
        return jdbc.sql("SELECT * FROM distributor_commands WHERE distributor_id = ? AND status = ?"
                        + " AND kind IN (?, ?) AND output LIKE ? ORDER BY id DESC LIMIT 1")
                .params(
                        distributorId,
                        DistributorCommandStatus.DONE.wireName(),
                        CommandKind.UPDATE.wireName(),
                        CommandKind.STATUS.wireName(),
                        "%" + DnsmasqConfigReport.SECTION_START + "%")
                .query(DistributorStore::mapCommand)
                .optional();
    }

    /**
     * The one place where a command's status changes. The update applies only to a command of this
     * distributor in a status the transition table lets move to {@code to} ({@link
     * DistributorCommandStatus#movingTo}), so a command is acknowledged once; it records when the
     * change happened ({@code delivered_at} for delivered, {@code finished_at} for done or failed) and
     * sets the {@code moreColumns} given (", column = ?" each, with their values) in the same statement.
     *
     * @return false when the command is in no status that may become {@code to} (or is not this distributor's)
     */
    private boolean transition(
            long distributorId, long commandId, DistributorCommandStatus to, String moreColumns, Object... moreValues) {
        return COMMAND_STATUS.transition(
                jdbc,
                to,
                now(),
                moreColumns,
                Arrays.asList(moreValues),
                "id = ? AND distributor_id = ?",
                commandId,
                distributorId);
    }

    private static List<String> wireNames(Collection<DistributorCommandStatus> statuses) {
        return statuses.stream().map(DistributorCommandStatus::wireName).toList();
    }

    private static String placeholders(Collection<?> values) {
        return String.join(", ", Collections.nCopies(values.size(), "?"));
    }

    private Distributor map(ResultSet rs, int row) throws SQLException {
        var lastSeen = Rows.instant(rs, "last_seen");
        Object on = rs.getObject("status_on");
        String device = rs.getString("device");
        DistributorSettings settings = device == null
                ? null
                : new DistributorSettings(
                        rs.getString("ipxe_pxe_uefi_url"),
                        rs.getString("ipxe_pxe_bios_url"),
                        rs.getString("settings_artifact_id"),
                        device,
                        rs.getString("dhcp_range"),
                        rs.getString("ipxe_pxe_arm64_url"));
        Long tokenId = rs.getObject("token_id") == null ? null : rs.getLong("token_id");
        return new Distributor(
                rs.getLong("id"),
                rs.getString("artifact_id"),
                rs.getString("hostname"),
                rs.getString("version"),
                DistributorRules.isOnline(lastSeen, clock.instant()),
                lastSeen,
                Rows.instant(rs, "registered_at"),
                on == null ? null : rs.getBoolean("status_on"),
                settings,
                tokenId);
    }

    private static DistributorCommand mapCommand(ResultSet rs, int row) throws SQLException {
        return new DistributorCommand(
                rs.getLong("id"),
                rs.getLong("distributor_id"),
                rs.getString("kind"),
                read(rs.getString("payload")),
                rs.getString("status"),
                rs.getInt("deliveries"),
                rs.getString("output"),
                rs.getString("error"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "delivered_at"),
                Rows.instant(rs, "finished_at"));
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored command payload is not JSON", e);
        }
    }
}
