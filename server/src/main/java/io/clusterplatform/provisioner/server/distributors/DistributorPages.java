package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.core.distributors.protocol.CommandKind;
import io.clusterplatform.provisioner.core.distributors.protocol.UpdateCommand;
import io.clusterplatform.provisioner.core.paging.ListQuery;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.dashboard.FormErrors;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Distributors: the list (online or offline, PXE on or off, refreshed by itself) and a distributor's
 * page with the PXE switch (the same status command as {@code PUT /api/distributors/{id}/status}),
 * its settings, the bootloaders it serves, the dnsmasq configuration its agent wrote, its recent
 * commands (live while one is still on its way) and its newest boot events.
 */
@DashboardPage
class DistributorPages {
    private static final int MAX_ROWS = 500;
    private static final int RECENT_COMMANDS = 15;
    private static final int RECENT_EVENTS = 20;

    private final DistributorStore store;
    private final BootEventStore events;
    private final CommandSignals signals;

    DistributorPages(DistributorStore store, BootEventStore events, CommandSignals signals) {
        this.store = store;
        this.events = events;
        this.signals = signals;
    }

    /** A bootloader the distributor serves: for one architecture, where it comes from and what iPXE runs then. */
    record Bootloader(String architecture, String tftpFile, String url, String sha256, String scriptUrl) {}

    /** The dnsmasq configuration as the agent reported it, with the file it wrote it to. */
    record Configuration(String file, String text, DistributorCommand command) {}

    @GetMapping("/ui/distributors")
    String list(Model model) {
        model.addAttribute("distributors", all());
        return "ui/distributors/list";
    }

    @GetMapping("/ui/distributors/rows")
    String rows(Model model) {
        model.addAttribute("distributors", all());
        return "ui/distributors/list :: rows";
    }

    @GetMapping("/ui/distributors/{id}")
    String distributor(@PathVariable long id, Model model) {
        return page(id, FormErrors.none(), model);
    }

    private String page(long id, FormErrors errors, Model model) {
        Distributor distributor = store.get(id);
        model.addAttribute("distributor", distributor);
        model.addAttribute("errors", errors);
        addCommands(id, model);
        Optional<DistributorCommand> update = store.newestCommand(id, CommandKind.UPDATE);
        model.addAttribute("update", update.orElse(null));
        model.addAttribute(
                "bootloaders", update.map(DistributorPages::bootloaders).orElse(List.of()));
        model.addAttribute(
                "configuration",
                store.newestWithConfiguration(id)
                        .map(DistributorPages::configuration)
                        .orElse(null));
        model.addAttribute("events", newestEvents(id));
        return "ui/distributors/distributor";
    }

    /** The state and the recent commands alone, fetched again while a command is on its way. */
    @GetMapping("/ui/distributors/{id}/commands")
    String commands(@PathVariable long id, Model model) {
        model.addAttribute("distributor", store.get(id));
        addCommands(id, model);
        return "ui/distributors/distributor :: commands";
    }

    @PostMapping("/ui/distributors/{id}/status")
    String status(
            @PathVariable long id,
            @RequestParam(required = false) String on,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        if (!"true".equals(on) && !"false".equals(on)) {
            response.setStatus(400);
            return page(id, FormErrors.of("'on' is required: true or false", Set.of("on")), model);
        }
        boolean switchOn = Boolean.parseBoolean(on);
        DistributorCommand command = store.requestStatus(id, switchOn);
        signals.signal();
        redirect.addFlashAttribute(
                "notice",
                "Command " + command.id() + " queued: turn PXE " + (switchOn ? "on" : "off")
                        + ". The agent acknowledges it below.");
        return "redirect:/ui/distributors/" + id;
    }

    private void addCommands(long id, Model model) {
        List<DistributorCommand> commands = store.recentCommands(id, RECENT_COMMANDS);
        model.addAttribute("commands", commands);
        model.addAttribute(
                "commandsPending", commands.stream().anyMatch(c -> !c.state().isFinal()));
    }

    private List<Distributor> all() {
        List<Distributor> all = new ArrayList<>();
        for (int page = 1; all.size() < MAX_ROWS; page++) {
            Page<Distributor> found = store.list(
                    ListRequest.DEFAULT.onPage(page, ListQuery.MAX_PAGE_SIZE).sortedBy("artifactId,hostname"));
            all.addAll(found.rows());
            if (page >= found.totalPages()) {
                break;
            }
        }
        return all;
    }

    /** The newest events, newest first. */
    private List<BootEvent> newestEvents(long id) {
        Page<BootEvent> first =
                events.list(id, BootEventStore.Filter.ALL, ListRequest.DEFAULT.onPage(1, RECENT_EVENTS));
        List<BootEvent> newest = new ArrayList<>();
        int last = (int) Math.max(1, first.totalPages());
        if (last > 1) {
            newest.addAll(
                    events.list(id, BootEventStore.Filter.ALL, ListRequest.DEFAULT.onPage(last - 1, RECENT_EVENTS))
                            .rows());
            newest.addAll(events.list(id, BootEventStore.Filter.ALL, ListRequest.DEFAULT.onPage(last, RECENT_EVENTS))
                    .rows());
        } else {
            newest.addAll(first.rows());
        }
        List<BootEvent> kept = newest.subList(Math.max(0, newest.size() - RECENT_EVENTS), newest.size());
        List<BootEvent> newestFirst = new ArrayList<>(kept);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The bootloaders an update command names, in the order of the architectures. */
    static List<Bootloader> bootloaders(DistributorCommand update) {
        List<Bootloader> loaders = new ArrayList<>();
        if (update.command().orElse(null) instanceof UpdateCommand command) {
            command.bootloaders().forEach((architecture, loader) -> {
                String name = loader.url().replaceAll("[?#].*$", "");
                name = name.substring(name.lastIndexOf('/') + 1);
                loaders.add(new Bootloader(
                        architecture.label(),
                        architecture.tftpPath(name),
                        loader.url(),
                        loader.sha256(),
                        loader.scriptUrl()));
            });
        }
        return loaders;
    }

    /** The configuration the agent reported with this command (the section after its {@code --- <file> ---} line). */
    static Configuration configuration(DistributorCommand command) {
        return command.configuration()
                .map(report -> new Configuration(report.file(), report.text(), command))
                .orElse(null);
    }
}
