package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.distributors.DistributorRules;
import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.distributors.protocol.Bootloader;
import io.clusterplatform.provisioner.core.distributors.protocol.UpdateCommand;
import io.clusterplatform.provisioner.core.nodes.IpPrefix;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.artifacts.ArtifactUrls;
import io.clusterplatform.provisioner.server.artifacts.OwnArtifacts;
import io.clusterplatform.provisioner.server.bootloaders.IpxeBuild;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.storage.StorableText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Distributors as in the original API (list, update settings, status), and the link their agents use with an
 * enrollment token: register, long-poll for the next command, acknowledge it once, upload the boot
 * events dnsmasq logged (which operators read back as the distributor's boot timeline).
 *
 * <p>Delivery is at-least-once until acknowledged: a command fetched but not acknowledged (the agent
 * crashed in between) is delivered again on the next poll, so the agent must apply commands
 * idempotently (render the same dnsmasq configuration, start an already running dnsmasq = no-op).
 * The acknowledgement itself is accepted exactly once.
 */
@RestController
@RequestMapping("/api/distributors")
@Tag(name = "distributors", description = "Distributors: LAN agents serving PXE, and their enrollment tokens")
class DistributorController {
    private static final int RECENT_COMMANDS = 50;

    /** {@code lanPrefixes}: the networks of the agent's interfaces (agents of the previous release send none). */
    record RegisterRequest(String hostname, String version, List<String> lanPrefixes) {}

    private static final int MAX_LAN_PREFIXES = 64;

    /**
     * The original tutorial sends {@code "artifactId": 1}: a string or a number is accepted, and one
     * naming another site than the distributor's is ignored with a warning.
     */
    record UpdateRequest(
            String ipxePxeUefiUrl,
            String ipxePxeBiosUrl,
            JsonNode artifactId,
            String device,
            String range,
            String ipxePxeArm64Url) {}

    record StatusRequest(Boolean on, JsonNode artifactId) {}

    record ResultRequest(Boolean ok, String output, String error) {}

    record EventsUploaded(int accepted, int duplicates) {}

    /** A queued command, as the command's own fields, and {@code warnings} when part of the request was ignored. */
    record Queued(
            @JsonUnwrapped DistributorCommand command,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {}

    private final DistributorStore store;
    private final DistributorAgents agents;
    private final BootEventStore events;
    private final CommandSignals signals;
    private final OwnArtifacts artifacts;
    private final ArtifactUrls urls;

    DistributorController(
            DistributorStore store,
            DistributorAgents agents,
            BootEventStore events,
            CommandSignals signals,
            OwnArtifacts artifacts,
            ArtifactUrls urls) {
        this.store = store;
        this.agents = agents;
        this.events = events;
        this.signals = signals;
        this.artifacts = artifacts;
        this.urls = urls;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List distributors: {rows, total, page, pageSize, totalPages}; online means seen within 60 s")
    Page<Distributor> list(@ParameterObject ListRequest request) {
        return store.list(request);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Distributor get(@PathVariable long id) {
        return store.get(id);
    }

    @PutMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary =
                    "Store iPXE URLs (at least one of ipxePxeUefiUrl, ipxePxeBiosUrl and ipxePxeArm64Url), device and range, and queue an update command for the distributor; for iPXE"
                            + " URLs of this server's artifacts the command also carries ipxePxeUefiSha256/ipxePxeBiosSha256"
                            + " and ipxePxeUefiScriptUrl/ipxePxeBiosScriptUrl (the proxydhcp.ipxe beside the binary, or script.ipxe for older builds); such a"
                            + " URL naming no stored file is a 400")
    ResponseEntity<Queued> update(@PathVariable long id, @RequestBody UpdateRequest request) {
        Distributor distributor = store.get(id);
        if (request.ipxePxeUefiUrl() == null && request.ipxePxeBiosUrl() == null && request.ipxePxeArm64Url() == null) {
            throw ProblemException.invalid("give at least one of 'ipxePxeUefiUrl', 'ipxePxeBiosUrl' and"
                    + " 'ipxePxeArm64Url': the iPXE the site's hosts of that architecture boot (hosts of an"
                    + " architecture left out are told so in their boot timeline)");
        }
        List<String> warnings = new ArrayList<>();
        siteOf(distributor, request.artifactId(), warnings);
        DistributorSettings settings = new DistributorSettings(
                optionalUrl("ipxePxeUefiUrl", request.ipxePxeUefiUrl()),
                optionalUrl("ipxePxeBiosUrl", request.ipxePxeBiosUrl()),
                distributor.artifactId(),
                DistributorRules.requireDevice("device", request.device()),
                DistributorRules.requireIpv4("range", request.range()),
                optionalUrl("ipxePxeArm64Url", request.ipxePxeArm64Url()));
        Map<PxeArchitecture, Bootloader> served = new EnumMap<>(PxeArchitecture.class);
        for (PxeArchitecture architecture : UpdateCommand.wireOrder()) {
            String url = settings.url(architecture);
            if (url != null) {
                served.put(architecture, served(architecture.field() + "Url", url));
            }
        }
        DistributorCommand command = store.updateSettings(id, settings.command(served));
        signals.signal();
        return queued(id, command, warnings);
    }

    private static String optionalUrl(String field, String url) {
        return url == null ? null : DistributorRules.requireHttpUrl(field, url);
    }

    /**
     * A distributor serves the site of its enrollment token, whatever a body says: an {@code artifactId}
     * that names another (the original tutorial sends {@code "artifactId": 1}) is checked, then left
     * out, with a warning in the answer; it never moves the distributor to another site.
     */
    private static void siteOf(Distributor distributor, JsonNode artifactId, List<String> warnings) {
        String named = artifactIdText(artifactId, distributor.artifactId());
        if (!named.equals(distributor.artifactId())) {
            warnings.add("'artifactId' '" + named + "' is not this distributor's site '" + distributor.artifactId()
                    + "': it was ignored (a distributor serves the artifactId of its enrollment token; leave"
                    + " 'artifactId' out)");
        }
    }

    /**
     * SHA-256 and script URL of a bootloader in this server's artifact store; nothing for other
     * servers'. The script is the build's {@code proxydhcp.ipxe} (the script without configuring the
     * network again: iPXE asks proxyDHCP for it right after configuring it), or {@code script.ipxe}
     * for builds made before that file existed.
     */
    private Bootloader served(String field, String url) {
        return artifacts
                .onThisServer(field, url)
                .map(file -> new Bootloader(
                        url,
                        file.sha256(),
                        artifacts
                                .sibling(file, IpxeBuild.PROXYDHCP_SCRIPT_FILE)
                                .or(() -> artifacts.sibling(file, IpxeBuild.SCRIPT_FILE))
                                .map(urls::downloadUrl)
                                .orElse(null)))
                .orElse(new Bootloader(url, null, null));
    }

    @PutMapping(path = "/{id}/status", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Queue a status command: on starts the distributor's PXE service, off stops it")
    ResponseEntity<Queued> status(@PathVariable long id, @RequestBody StatusRequest request) {
        if (request.on() == null) {
            throw ProblemException.invalid("'on' is required: true or false");
        }
        Distributor distributor = store.get(id);
        List<String> warnings = new ArrayList<>();
        siteOf(distributor, request.artifactId(), warnings);
        DistributorCommand command = store.requestStatus(id, request.on());
        signals.signal();
        return queued(id, command, warnings);
    }

    @PostMapping(path = "/register", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Agent: register (or re-register) the distributor of the token's artifactId")
    ResponseEntity<Distributor> register(@RequestBody RegisterRequest request) {
        DistributorToken token = agent().orElseThrow(() -> forbidden("only a distributor token may register"));
        if (request.hostname() == null || !NodeAddresses.isHostname(request.hostname())) {
            throw ProblemException.invalid("'hostname' must be a DNS host name, got '" + request.hostname() + "'");
        }
        StorableText.require("version", request.version());
        if (request.version() != null && request.version().length() > 100) {
            throw ProblemException.invalid("'version' must be at most 100 characters");
        }
        String lanPrefixes = null;
        if (request.lanPrefixes() != null) {
            if (request.lanPrefixes().size() > MAX_LAN_PREFIXES) {
                throw ProblemException.invalid("'lanPrefixes' may name at most " + MAX_LAN_PREFIXES + " networks");
            }
            lanPrefixes = String.join(
                    ",",
                    request.lanPrefixes().stream()
                            .map(prefix -> IpPrefix.parse("lanPrefixes", prefix).toString())
                            .toList());
        }
        DistributorStore.Registered registered =
                store.register(token.artifactId(), request.hostname(), request.version(), token.id(), lanPrefixes);
        Distributor distributor = registered.distributor();
        return registered.created()
                ? ResponseEntity.created(URI.create("/api/distributors/" + distributor.id()))
                        .body(distributor)
                : ResponseEntity.ok(distributor);
    }

    @GetMapping(path = "/{id}/commands", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Operator: the recent commands with status and result. Agent: long-poll (?wait=25s, at most"
                    + " 30 s) for the next unacknowledged command; 204 when none came")
    ResponseEntity<?> commands(@PathVariable long id, @RequestParam(required = false) String wait)
            throws InterruptedException {
        Optional<DistributorToken> agent = agent();
        if (agent.isEmpty()) {
            if (wait != null) {
                throw forbidden("operator tokens may not poll for commands; only the distributor's own token may");
            }
            List<DistributorCommand> recent = store.recentCommands(id, RECENT_COMMANDS);
            return ResponseEntity.ok(recent);
        }
        agents.requireOwn(id, "poll for commands");
        Optional<DistributorCommand> next = poll(id, DistributorRules.parseWait(wait));
        return next.<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping(path = "/{id}/commands/{commandId}/result", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Agent: acknowledge a command once with its result; a second acknowledgement is a 409")
    DistributorCommand result(@PathVariable long id, @PathVariable long commandId, @RequestBody ResultRequest request) {
        agents.requireOwn(id, "acknowledge");
        if (request.ok() == null) {
            throw ProblemException.invalid("'ok' is required: true or false");
        }
        StorableText.require("output", request.output());
        StorableText.require("error", request.error());
        return store.acknowledge(id, commandId, request.ok(), request.output(), request.error());
    }

    @PostMapping(
            path = "/{id}/events",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Agent: upload 1 to 1000 boot events (dnsmasq's DHCP/TFTP log lines, service events):"
                    + " {\"events\": [{seq, at, kind, mac, ip, file, message}]}. Idempotent: an event whose seq"
                    + " is stored already is counted in duplicates and left alone")
    EventsUploaded uploadEvents(@PathVariable long id, @RequestBody JsonNode body) {
        Distributor distributor = agents.requireOwn(id, "upload events");
        List<BootEvent.New> upload = BootEventUpload.parse(body);
        BootEventStore.Stored stored = events.store(id, distributor.artifactId(), upload);
        return new EventsUploaded(stored.accepted(), stored.duplicates());
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary =
                    "Operator: the distributor's boot events, oldest first: {rows, total, page, pageSize, totalPages};"
                            + " narrowed by mac, kind (dhcp, tftp, service) and since (an ISO-8601 instant, inclusive)")
    Page<BootEvent> events(
            @PathVariable long id,
            @RequestParam(required = false) String mac,
            @RequestParam(required = false) String kind,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer pageSize) {
        store.get(id);
        BootEventStore.Filter filter = new BootEventStore.Filter(
                blank(mac) ? null : BootEventUpload.mac("mac", mac),
                blank(kind) ? null : BootEventUpload.kind("kind", kind),
                blank(since) ? null : BootEventUpload.at("since", since));
        return events.list(id, filter, ListRequest.DEFAULT.onPage(page, pageSize));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private Optional<DistributorCommand> poll(long id, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = signals.generation();
            Optional<DistributorCommand> next = store.deliverNext(id);
            if (next.isPresent()) {
                return next;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                store.touch(id);
                return Optional.empty();
            }
            signals.awaitAfter(
                    seen, Duration.ofNanos(Math.min(remaining, signals.recheck().toNanos())));
        }
    }

    private static ResponseEntity<Queued> queued(long id, DistributorCommand command, List<String> warnings) {
        return ResponseEntity.accepted()
                .location(URI.create("/api/distributors/" + id + "/commands"))
                .body(new Queued(command, warnings));
    }

    private static Optional<DistributorToken> agent() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof DistributorAuthentication distributor
                ? Optional.of(distributor.token())
                : Optional.empty();
    }

    private static String artifactIdText(JsonNode value, String fallback) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return fallback;
        }
        String text;
        if (value.isTextual()) {
            text = value.asText();
        } else if (value.isIntegralNumber()) {
            text = value.bigIntegerValue().toString();
        } else {
            throw ProblemException.invalid("'artifactId' must be a string or a whole number, got " + value);
        }
        if (!NodeAddresses.isArtifactId(text)) {
            throw ProblemException.invalid(
                    "'artifactId' must be 1 to 253 letters, digits and . _ : -, got '" + text + "'");
        }
        return text;
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }
}
