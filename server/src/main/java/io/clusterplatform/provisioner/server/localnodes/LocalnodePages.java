package io.clusterplatform.provisioner.server.localnodes;

import io.clusterplatform.provisioner.core.nodes.NodeHealth;
import io.clusterplatform.provisioner.core.paging.ListQuery;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.dashboard.FormErrors;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The node list: every localnode with its health colour and why, and when it was last seen; searched
 * with the API's list search and filtered by colour and artifactId. Its rows refresh by themselves, so
 * a colour changes without a reload. A node's own page is {@code scriptruns.ScriptRunPages}.
 */
@DashboardPage
class LocalnodePages {
    /** The most rows the page shows; a hint says when more matched. */
    static final int MAX_ROWS = 500;

    private static final Set<String> FORM_FIELDS = Set.of("search", "health", "artifactId");

    private final LocalnodeStore nodes;

    LocalnodePages(LocalnodeStore nodes) {
        this.nodes = nodes;
    }

    /** What the list shows: the matching nodes (at most {@link #MAX_ROWS}), how many matched, the filters. */
    record NodeList(
            List<Localnode> rows,
            int matched,
            int total,
            List<String> artifactIds,
            String search,
            String health,
            String artifactId,
            FormErrors errors) {

        public boolean filtered() {
            return !search.isEmpty() || !health.isEmpty() || !artifactId.isEmpty();
        }
    }

    @GetMapping("/ui/nodes")
    String list(
            @RequestParam(required = false) String search,
            @RequestParam(required = false) String health,
            @RequestParam(required = false) String artifactId,
            Model model,
            HttpServletResponse response) {
        NodeList list = find(search, health, artifactId);
        if (list.errors().any()) {
            response.setStatus(400);
        }
        model.addAttribute("list", list);
        model.addAttribute("errors", list.errors());
        model.addAttribute(
                "colours",
                Arrays.stream(NodeHealth.Colour.values())
                        .map(NodeHealth.Colour::wireName)
                        .toList());
        return "ui/localnodes/list";
    }

    /** The table's rows alone, which the list fetches again every few seconds. */
    @GetMapping("/ui/nodes/rows")
    String rows(
            @RequestParam(required = false) String search,
            @RequestParam(required = false) String health,
            @RequestParam(required = false) String artifactId,
            Model model) {
        model.addAttribute("list", find(search, health, artifactId));
        return "ui/localnodes/list :: rows";
    }

    private NodeList find(String search, String health, String artifactId) {
        String wantedSearch = search == null ? "" : search.strip();
        String wantedHealth = health == null ? "" : health.strip().toLowerCase(Locale.ROOT);
        String wantedArtifact = artifactId == null ? "" : artifactId.strip();
        NodeHealth.Colour colour = null;
        if (!wantedHealth.isEmpty()) {
            colour = Arrays.stream(NodeHealth.Colour.values())
                    .filter(c -> c.wireName().equals(wantedHealth))
                    .findFirst()
                    .orElse(null);
            if (colour == null) {
                return empty(
                        wantedSearch,
                        wantedHealth,
                        wantedArtifact,
                        FormErrors.of(
                                "'health' must be one of green, yellow, red, unknown, got '" + wantedHealth + "'",
                                FORM_FIELDS));
            }
        }
        List<Localnode> rows = new ArrayList<>();
        Set<String> artifactIds = new TreeSet<>();
        int matched = 0;
        int total = 0;
        try {
            for (int page = 1; ; page++) {
                Page<Localnode> found = nodes.list(ListRequest.DEFAULT
                        .searching(wantedSearch.isEmpty() ? null : wantedSearch)
                        .onPage(page, ListQuery.MAX_PAGE_SIZE)
                        .sortedBy("-lastSeen"));
                for (Localnode node : found.rows()) {
                    total++;
                    artifactIds.add(node.artifactId());
                    if ((colour == null || node.health() == colour)
                            && (wantedArtifact.isEmpty() || node.artifactId().equals(wantedArtifact))) {
                        matched++;
                        if (rows.size() < MAX_ROWS) {
                            rows.add(node);
                        }
                    }
                }
                if (page >= found.totalPages()) {
                    break;
                }
            }
        } catch (ProblemException e) {
            return empty(wantedSearch, wantedHealth, wantedArtifact, FormErrors.of(e, FORM_FIELDS));
        }
        if (!wantedArtifact.isEmpty()) {
            artifactIds.add(wantedArtifact);
        }
        return new NodeList(
                rows,
                matched,
                total,
                List.copyOf(artifactIds),
                wantedSearch,
                wantedHealth,
                wantedArtifact,
                FormErrors.none());
    }

    private static NodeList empty(String search, String health, String artifactId, FormErrors errors) {
        return new NodeList(List.of(), 0, 0, List.of(), search, health, artifactId, errors);
    }
}
