package io.clusterplatform.provisioner.server.mesh;

import io.clusterplatform.provisioner.core.mesh.TokenRole;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.dashboard.FormErrors;
import io.clusterplatform.provisioner.server.localnodes.Localnode;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Localnode to globalnode from the dashboard: pick a network (and a role), and the node's page of the
 * script run that joins it shows the agent's output as it arrives ({@link MeshLocalnodeJoins}).
 */
@DashboardPage
class MeshLocalnodePages {
    private static final Set<String> FIELDS = Set.of("networkId", "role", "endpoint");

    /** What the form holds; blank fields mean the defaults (the token's automatic role, the node's ip). */
    record JoinForm(String networkId, String role, String endpoint) {
        static final JoinForm DEFAULTS = new JoinForm("", "auto", "");
    }

    private final MeshLocalnodeJoins joins;
    private final MeshNetworkStore networks;
    private final LocalnodeStore nodes;

    MeshLocalnodePages(MeshLocalnodeJoins joins, MeshNetworkStore networks, LocalnodeStore nodes) {
        this.joins = joins;
        this.networks = networks;
        this.nodes = nodes;
    }

    @GetMapping("/ui/nodes/{nodeId}/mesh")
    String form(@PathVariable long nodeId, Model model) {
        return page(nodes.get(nodeId), JoinForm.DEFAULTS, FormErrors.none(), model);
    }

    @PostMapping("/ui/nodes/{nodeId}/mesh")
    String join(
            @PathVariable long nodeId,
            @RequestParam(defaultValue = "") String networkId,
            @RequestParam(defaultValue = "auto") String role,
            @RequestParam(defaultValue = "") String endpoint,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        Localnode node = nodes.get(nodeId);
        JoinForm form = new JoinForm(networkId, role, endpoint);
        try {
            if (networkId.isBlank()) {
                throw ProblemException.invalid("'networkId' is required: pick the network to join");
            }
            MeshLocalnodeJoins.Joining joining = joins.join(
                    networkId,
                    nodeId,
                    new MeshLocalnodeJoins.JoinLocalnode(role, endpoint.isBlank() ? null : endpoint.strip(), null));
            redirect.addFlashAttribute(
                    "notice",
                    "Joining " + networkId + " as " + joining.role() + " with a single-use token ("
                            + joining.tokenPrefix() + "); the agent's output follows.");
            return "redirect:/ui/nodes/" + nodeId + "/runs/" + joining.run().id();
        } catch (ProblemException e) {
            response.setStatus(e.status());
            return page(node, form, FormErrors.of(e, FIELDS), model);
        }
    }

    private String page(Localnode node, JoinForm form, FormErrors errors, Model model) {
        model.addAttribute("node", node);
        model.addAttribute("networks", networks.all());
        model.addAttribute("roles", TokenRole.known());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "ui/mesh/localnode";
    }
}
