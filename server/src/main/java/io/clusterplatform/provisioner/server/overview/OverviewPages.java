package io.clusterplatform.provisioner.server.overview;

import io.clusterplatform.provisioner.core.nodes.NodeHealth;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.distributors.Distributor;
import io.clusterplatform.provisioner.server.distributors.DistributorStore;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.jobs.JobQueue;
import io.clusterplatform.provisioner.server.localnodes.Localnode;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import io.clusterplatform.provisioner.server.mesh.MeshNetwork;
import io.clusterplatform.provisioner.server.mesh.MeshNetworkStore;
import io.clusterplatform.provisioner.server.mesh.MeshNode;
import io.clusterplatform.provisioner.server.mesh.MeshNodeStore;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import io.clusterplatform.provisioner.server.timeline.HostFetchWriter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The overview: nodes by health colour, distributors online and offline, builds in flight, mesh nodes. */
@DashboardPage
class OverviewPages {
    private static final int PAGE = 100;

    private final LocalnodeStore nodes;
    private final DistributorStore distributors;
    private final JobQueue jobs;
    private final MeshNetworkStore meshNetworks;
    private final MeshNodeStore meshNodes;
    private final HostFetchWriter timelineWriter;
    private final ServerUrl serverUrl;

    OverviewPages(
            LocalnodeStore nodes,
            DistributorStore distributors,
            JobQueue jobs,
            MeshNetworkStore meshNetworks,
            MeshNodeStore meshNodes,
            HostFetchWriter timelineWriter,
            ServerUrl serverUrl) {
        this.nodes = nodes;
        this.distributors = distributors;
        this.jobs = jobs;
        this.meshNetworks = meshNetworks;
        this.meshNodes = meshNodes;
        this.timelineWriter = timelineWriter;
        this.serverUrl = serverUrl;
    }

    @GetMapping("/")
    String root() {
        return "redirect:/ui/";
    }

    @GetMapping({"/ui", "/ui/"})
    String overview(Model model) {
        model.addAttribute("overview", overview());
        model.addAttribute("publicUrlWarning", serverUrl.configured() ? null : ServerUrl.UNSET_WARNING);
        return "ui/overview";
    }

    /** The counts alone, which the page fetches again every few seconds. */
    @GetMapping("/ui/overview/counts")
    String counts(Model model) {
        model.addAttribute("overview", overview());
        return "ui/overview :: counts";
    }

    Overview overview() {
        Map<NodeHealth.Colour, Integer> byHealth = new EnumMap<>(NodeHealth.Colour.class);
        for (NodeHealth.Colour colour : NodeHealth.Colour.values()) {
            byHealth.put(colour, 0);
        }
        int[] total = {0};
        forEach(page -> nodes.list(ListRequest.DEFAULT.onPage(page, PAGE)), (Localnode node) -> {
            byHealth.merge(node.health(), 1, Integer::sum);
            total[0]++;
        });
        int[] online = {0, 0};
        forEach(
                page -> distributors.list(ListRequest.DEFAULT.onPage(page, PAGE)),
                (Distributor distributor) -> online[distributor.online() ? 0 : 1]++);
        Map<String, Integer> meshByHealth = new HashMap<>();
        int meshNodes = 0;
        List<MeshNetwork> networks = meshNetworks.all();
        for (MeshNetwork network : networks) {
            for (MeshNode node : this.meshNodes.ofNetwork(network.pk())) {
                meshByHealth.merge(node.health(), 1, Integer::sum);
                meshNodes++;
            }
        }
        return new Overview(
                byHealth,
                total[0],
                online[0],
                online[1],
                jobs.countInFlight(),
                networks.size(),
                meshByHealth,
                meshNodes,
                timelineWriter.dropped());
    }

    private static <T> void forEach(IntFunction<Page<T>> pages, Consumer<T> each) {
        for (int page = 1; ; page++) {
            Page<T> rows = pages.apply(page);
            rows.rows().forEach(each);
            if (page >= rows.totalPages()) {
                return;
            }
        }
    }
}
