package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.MeshRules;
import io.clusterplatform.provisioner.core.mesh.TokenRole;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.dashboard.FormErrors;
import io.clusterplatform.provisioner.server.dashboard.SeenAgo;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The mesh in the dashboard: networks, their join tokens (a new one shown once), their nodes with
 * health and handshake ages (a live fragment), node removal and the kubeconfig download. Every change
 * goes through {@link MeshService}, as the REST API's do, so the forms show the API's own messages.
 */
@DashboardPage
class MeshPages {
    static final Set<String> NETWORK_FIELDS = Set.of("networkId", "ipv6Prefix", "ipv4Range");
    static final Set<String> TOKEN_FIELDS = Set.of("role", "uses", "expiresIn", "name");
    private static final List<String> COLOURS = List.of("green", "yellow", "red", "unknown");

    /** The network form as submitted, kept when it is shown again with errors. */
    record NetworkForm(String networkId, String ipv6Prefix, String ipv4Range) {
        static final NetworkForm EMPTY = new NetworkForm("", "", "");
    }

    /** The token form as submitted. */
    record TokenForm(String role, String uses, String expiresIn, String name) {
        static final TokenForm DEFAULTS = new TokenForm("auto", "1", "24h", "");
    }

    /** A network in the list, with how many of its nodes have each health colour. */
    record NetworkRow(MeshNetwork network, Map<String, Integer> health) {}

    /** A node in the table, with its ages as text ("12 s ago", "never"). */
    record NodeRow(MeshNode node, String contactAge, String handshakeAge, List<MeshPaths.PeerPath> paths) {}

    /** Instants as pages show them, to the second in UTC (the full value goes in a title). */
    static final class When {
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

        public String of(Instant instant) {
            return instant == null ? "" : FORMAT.format(instant);
        }
    }

    private static final When WHEN = new When();

    /** A token just created: the only time it is on a page. */
    record NewToken(CreatedJoinToken token, String joinCommand, String agentCommand) {
        /** Without the token or the commands holding it (flash attributes may be logged at TRACE). */
        @Override
        public String toString() {
            return "NewToken[" + token + "]";
        }
    }

    private final MeshService mesh;
    private final MeshNetworkStore networks;
    private final MeshTokenStore tokens;
    private final MeshNodeStore nodes;
    private final ServerUrl server;
    private final SeenAgo ages;

    private final MeshPaths paths;

    MeshPages(
            MeshService mesh,
            MeshNetworkStore networks,
            MeshTokenStore tokens,
            MeshNodeStore nodes,
            ServerUrl server,
            SeenAgo ages,
            MeshPaths paths) {
        this.mesh = mesh;
        this.paths = paths;
        this.networks = networks;
        this.tokens = tokens;
        this.nodes = nodes;
        this.server = server;
        this.ages = ages;
    }

    @GetMapping("/ui/mesh")
    String list(Model model) {
        return listPage(model, NetworkForm.EMPTY, FormErrors.none());
    }

    @PostMapping("/ui/mesh")
    String create(
            @RequestParam(defaultValue = "") String networkId,
            @RequestParam(defaultValue = "") String ipv6Prefix,
            @RequestParam(defaultValue = "") String ipv4Range,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        NetworkForm form = new NetworkForm(networkId, ipv6Prefix, ipv4Range);
        try {
            MeshNetwork network = mesh.createNetwork(new MeshService.CreateNetwork(
                    blankToNull(networkId), blankToNull(ipv6Prefix), blankToNull(ipv4Range)));
            redirect.addFlashAttribute(
                    "notice", "Mesh network " + network.networkId() + " created with " + network.ipv6Prefix() + ".");
            return "redirect:/ui/mesh/" + network.networkId();
        } catch (ProblemException e) {
            response.setStatus(e.status());
            return listPage(model, form, FormErrors.of(e, NETWORK_FIELDS));
        }
    }

    private String listPage(Model model, NetworkForm form, FormErrors errors) {
        List<NetworkRow> rows = networks.all().stream()
                .map(network -> new NetworkRow(network, healthCounts(network)))
                .toList();
        model.addAttribute("networks", rows);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "ui/mesh/list";
    }

    private Map<String, Integer> healthCounts(MeshNetwork network) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        COLOURS.forEach(colour -> counts.put(colour, 0));
        nodes.ofNetwork(network.pk()).forEach(node -> counts.merge(node.health(), 1, Integer::sum));
        counts.values().removeIf(count -> count == 0);
        return counts;
    }

    @GetMapping("/ui/mesh/{networkId}")
    String network(@PathVariable String networkId, Model model) {
        return networkPage(networks.get(networkId), model, TokenForm.DEFAULTS, FormErrors.none());
    }

    /** The nodes table alone, which the page fetches again every few seconds. */
    @GetMapping("/ui/mesh/{networkId}/nodes")
    String nodes(@PathVariable String networkId, Model model) {
        MeshNetwork network = networks.get(networkId);
        model.addAttribute("network", network);
        model.addAttribute("nodes", nodeRows(network));
        return "ui/mesh/network :: nodes";
    }

    private String networkPage(MeshNetwork network, Model model, TokenForm form, FormErrors errors) {
        model.addAttribute("network", network);
        model.addAttribute("tokens", tokens.list(network));
        model.addAttribute("nodes", nodeRows(network));
        model.addAttribute("roles", TokenRole.known());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("maxUses", MeshRules.MAX_TOKEN_USES);
        model.addAttribute("when", WHEN);
        return "ui/mesh/network";
    }

    private List<NodeRow> nodeRows(MeshNetwork network) {
        return paths.withPaths(nodes.ofNetwork(network.pk())).stream()
                .map(row -> new NodeRow(
                        row.node(),
                        ages.of(row.node().lastContact()),
                        ages.of(row.node().lastHandshake()),
                        row.paths()))
                .toList();
    }

    /**
     * Creates a join token and shows the network's page with it, at the network's own address. The
     * page is the answer to the POST, not a redirect with a flash attribute: a flash attribute lives
     * in the session until the next request, and the sessions are in the database (shared by the
     * replicas), where a secret shown once must never be written. Not cached by the browser.
     */
    @PostMapping("/ui/mesh/{networkId}")
    String createToken(
            @PathVariable String networkId,
            @RequestParam(defaultValue = "auto") String role,
            @RequestParam(defaultValue = "") String uses,
            @RequestParam(defaultValue = "") String expiresIn,
            @RequestParam(defaultValue = "") String name,
            Model model,
            HttpServletResponse response) {
        MeshNetwork network = networks.get(networkId);
        TokenForm form = new TokenForm(role, uses, expiresIn, name);
        try {
            CreatedJoinToken created = mesh.createToken(
                    networkId,
                    new MeshService.CreateToken(
                            blankToNull(role), uses(uses), blankToNull(expiresIn), blankToNull(name)));
            response.setHeader("Cache-Control", "no-store");
            model.addAttribute("newToken", newToken(created));
            model.addAttribute(
                    "notice",
                    "Join token " + created.prefix() + " created: copy it now, this page shows it only once.");
            return networkPage(network, model, TokenForm.DEFAULTS, FormErrors.none());
        } catch (ProblemException e) {
            response.setStatus(e.status());
            return networkPage(network, model, form, FormErrors.of(e, TOKEN_FIELDS));
        }
    }

    /** The number of uses as typed; text that is no number is refused as the API refuses a bad one. */
    private static Integer uses(String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(
                    "'uses' must be between 1 and " + MeshRules.MAX_TOKEN_USES + ", got '" + value + "'");
        }
    }

    /** The new token with the two ways the docs give to start a host's agent with it. */
    private NewToken newToken(CreatedJoinToken created) {
        String base = server.base();
        String command = "bridge".equals(created.role()) || "relay".equals(created.role()) ? created.role() : "join";
        return new NewToken(
                created,
                "provisioner mesh " + command + " --server " + base + " --token " + created.token()
                        + ("relay".equals(command) ? " --endpoint <its public address>:<port>" : ""),
                // The shell agent cannot relay: a relay token gets the CLI agent's command only.
                "relay".equals(command)
                        ? null
                        : "curl -s " + base + "/mesh/agent.sh | sh -s -- --token " + created.token()
                                + " --endpoint <this host's address>");
    }

    @PostMapping("/ui/mesh/{networkId}/tokens/{tokenId}/revoke")
    String revokeToken(
            @PathVariable String networkId,
            @PathVariable long tokenId,
            @RequestParam(defaultValue = "false") boolean removeNodes,
            RedirectAttributes redirect) {
        MeshService.RevokedJoinToken revoked = mesh.revokeToken(networkId, tokenId, removeNodes);
        String notice = "Join token " + revoked.token().prefix() + " revoked: it admits no more hosts.";
        if (removeNodes) {
            notice += revoked.removedNodes().isEmpty()
                    ? " No node it admitted was left to remove."
                    : " Removed the nodes it admitted: "
                            + revoked.removedNodes().stream()
                                    .map(String::valueOf)
                                    .collect(Collectors.joining(", "))
                            + ".";
        }
        redirect.addFlashAttribute("notice", notice);
        return "redirect:/ui/mesh/" + networkId;
    }

    /** Removal: the nodes table's buttons (in the live part) submit this one form with their nodeId. */
    @PostMapping("/ui/mesh/{networkId}/nodes/remove")
    String removeNode(@PathVariable String networkId, @RequestParam long nodeId, RedirectAttributes redirect) {
        mesh.removeNode(networkId, nodeId);
        redirect.addFlashAttribute(
                "notice", "Node " + nodeId + " removed: its agent takes its interface down, and every peer drops it.");
        return "redirect:/ui/mesh/" + networkId;
    }

    @PostMapping("/ui/mesh/{networkId}/delete")
    String deleteNetwork(@PathVariable String networkId, RedirectAttributes redirect) {
        networks.delete(networkId);
        redirect.addFlashAttribute("notice", "Mesh network " + networkId + " deleted with its tokens and nodes.");
        return "redirect:/ui/mesh";
    }

    /** The kubeconfig the master uploaded, as a file, for operators (as GET .../kubeconfig is). */
    @GetMapping("/ui/mesh/{networkId}/kubeconfig")
    ResponseEntity<byte[]> kubeconfig(@PathVariable String networkId) {
        MeshNetwork network = networks.get(networkId);
        String kubeconfig = networks.kubeconfig(network.pk())
                .orElseThrow(() -> ProblemException.notFound("mesh network '" + networkId
                        + "' has no kubeconfig yet: its master node uploads it with PUT /api/mesh/networks/"
                        + networkId + "/kubeconfig"));
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(networkId + "-kubeconfig.yaml")
                                .build()
                                .toString())
                .body(kubeconfig.getBytes(StandardCharsets.UTF_8));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
