package io.clusterplatform.provisioner.server.builds;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.bootloaders.GrubTarget;
import io.clusterplatform.provisioner.core.bootloaders.IpxeScript;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.dashboard.FormErrors;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.jobs.JobQueue;
import io.clusterplatform.provisioner.server.registries.TextEntry;
import io.clusterplatform.provisioner.server.registries.TextRegistry;
import io.clusterplatform.provisioner.server.registries.TextRegistryStore;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dashboard's artifact pages: every build newest first with live progress, the forms that queue
 * ISO (the one-call {label, mainscriptId} first), iPXE, GRUB and SYSLINUX builds, and one page per
 * build with its progress, failure, log and files. Requests go through the same {@link BuildKind}
 * validation and {@link BuildService} the REST API uses. Templates: {@code templates/ui/builds/}.
 */
@DashboardPage
class BuildPages {
    static final String KINDS = "{kind:isos|ipxes|grubs|syslinuxs}";
    /** How many of each kind's newest builds the list shows. */
    private static final int NEWEST = 50;

    private static final String DEFAULT_LABEL = "Cluster Platform Provisioner ISO";
    private static final Set<String> ISO_FIELDS = Set.of("label", "mainscriptId");
    private static final Set<String> IPXE_FIELDS = Set.of("script", "target");
    private static final Set<String> GRUB_FIELDS = Set.of("label", "architecture", "fragment");
    private static final Set<String> SYSLINUX_FIELDS = Set.of("fragment");

    record IsoForm(String label, String mainscriptId) {}

    record IpxeForm(String script, String target) {}

    record GrubForm(String label, String architecture, String fragment) {}

    record SyslinuxForm(String fragment) {}

    private final Map<ArtifactKind, BuildKind<?>> kinds = new EnumMap<>(ArtifactKind.class);
    private final BuildService builds;
    private final JobQueue jobs;
    private final TextRegistryStore registries;
    private final ServerUrl server;

    BuildPages(
            List<BuildKind<?>> kinds,
            BuildService builds,
            JobQueue jobs,
            TextRegistryStore registries,
            ServerUrl server) {
        kinds.forEach(kind -> this.kinds.put(kind.artifactKind(), kind));
        this.builds = builds;
        this.jobs = jobs;
        this.registries = registries;
        this.server = server;
    }

    // The URLs stay /ui/artifacts (users bookmark them); only the class and templates are "builds".
    @GetMapping("/ui/artifacts")
    String list(Model model) {
        return listPage(model);
    }

    /** The list of builds alone, which the page fetches again while a build is in flight. */
    @GetMapping("/ui/artifacts/builds")
    String builds(Model model) {
        addBuilds(model);
        return "ui/builds/list :: builds";
    }

    /** The build form of each kind: its name in the model, its fields and the values shown again. */
    private record Form(String name, Set<String> fields, Function<Map<String, String>, Object> values) {}

    private static final Map<ArtifactKind, Form> FORMS = Map.of(
            ArtifactKind.ISOS,
            new Form("iso", ISO_FIELDS, f -> new IsoForm(value(f, "label"), value(f, "mainscriptId"))),
            ArtifactKind.IPXES,
            new Form("ipxe", IPXE_FIELDS, f -> new IpxeForm(value(f, "script"), value(f, "target"))),
            ArtifactKind.GRUBS,
            new Form(
                    "grub",
                    GRUB_FIELDS,
                    f -> new GrubForm(value(f, "label"), value(f, "architecture"), value(f, "fragment"))),
            ArtifactKind.SYSLINUXS,
            new Form("syslinux", SYSLINUX_FIELDS, f -> new SyslinuxForm(value(f, "fragment"))));

    /**
     * Queues the build a form asks for (each kind reads its own form: {@link BuildKind#fromForm}) and
     * goes to its page; a refusal shows the list page again with the form's values and the server's
     * words next to its fields.
     */
    @PostMapping("/ui/artifacts/" + KINDS)
    String submit(
            @PathVariable String kind,
            @RequestParam Map<String, String> form,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        ArtifactKind artifactKind = ArtifactKind.parse(kind);
        Form shown = FORMS.get(artifactKind);
        try {
            BuildRow row = create(kinds.get(artifactKind), form);
            redirect.addFlashAttribute("notice", ShownBuild.kindLabel(artifactKind) + " " + row.id() + " queued");
            return "redirect:/ui/artifacts/" + artifactKind.wireName() + "/" + row.id();
        } catch (ProblemException e) {
            model.addAttribute(shown.name() + "Form", shown.values().apply(form));
            model.addAttribute(shown.name() + "Errors", FormErrors.of(e, shown.fields()));
            response.setStatus(e.status());
            return listPage(model);
        }
    }

    private <S> BuildRow create(BuildKind<S> kind, Map<String, String> form) {
        return builds.create(kind, kind.validate(kind.fromForm(form), new BuildRequestContext(server.base())));
    }

    private static String value(Map<String, String> form, String field) {
        return form.getOrDefault(field, "");
    }

    @GetMapping("/ui/artifacts/" + KINDS + "/{id}")
    String build(@PathVariable String kind, @PathVariable long id, Model model) {
        model.addAttribute("build", shown(kind, id));
        return "ui/builds/build";
    }

    /** The build's progress, failure, log and files alone, fetched again while the build runs. */
    @GetMapping("/ui/artifacts/" + KINDS + "/{id}/live")
    String buildLive(@PathVariable String kind, @PathVariable long id, Model model) {
        model.addAttribute("build", shown(kind, id));
        return "ui/builds/build :: live";
    }

    @PostMapping("/ui/artifacts/" + KINDS + "/{id}/cancel")
    String cancel(@PathVariable String kind, @PathVariable long id, RedirectAttributes redirect) {
        ArtifactKind artifactKind = ArtifactKind.parse(kind);
        BuildRow row = builds.get(artifactKind, id);
        String title = ShownBuild.kindLabel(artifactKind) + " " + id;
        try {
            if (row.jobId() != null) {
                jobs.cancel(row.jobId());
            }
            redirect.addFlashAttribute("notice", title + ": cancel requested");
        } catch (ProblemException e) {
            redirect.addFlashAttribute("problem", e.detail());
        }
        return "redirect:/ui/artifacts/" + kind + "/" + id;
    }

    @PostMapping("/ui/artifacts/" + KINDS + "/{id}/delete")
    String delete(@PathVariable String kind, @PathVariable long id, RedirectAttributes redirect) {
        ArtifactKind artifactKind = ArtifactKind.parse(kind);
        builds.delete(artifactKind, id);
        redirect.addFlashAttribute(
                "notice", ShownBuild.kindLabel(artifactKind) + " " + id + " deleted, with its files");
        return "redirect:/ui/artifacts";
    }

    private String listPage(Model model) {
        addBuilds(model);
        List<TextEntry> mainscripts = registries
                .list(
                        TextRegistry.MAINSCRIPTS,
                        ListRequest.DEFAULT.onPage(1, 100).sortedBy("-id"))
                .rows();
        model.addAttribute("mainscripts", mainscripts);
        model.addAttribute(
                "ipxeTargets",
                Arrays.stream(IpxeTarget.values()).map(IpxeTarget::describe).toList());
        model.addAttribute(
                "grubArchitectures",
                Arrays.stream(GrubTarget.Architecture.values())
                        .map(GrubTarget.Architecture::wireName)
                        .toList());
        model.addAttribute(
                "grubFragments",
                Arrays.stream(GrubTarget.Fragment.values())
                        .map(GrubTarget.Fragment::wireName)
                        .toList());
        model.addAttribute(
                "syslinuxFragments",
                Arrays.stream(SyslinuxFragment.values())
                        .map(SyslinuxFragment::fileName)
                        .toList());
        String firstMainscript = mainscripts.isEmpty()
                ? ""
                : String.valueOf(mainscripts.getFirst().id());
        String script = mainscripts.isEmpty()
                ? "#!ipxe\ndhcp\nshell\n"
                : IpxeScript.chainingMainscript(
                                "{{server}}", mainscripts.getFirst().id())
                        .text();
        defaults(model, "isoForm", new IsoForm(DEFAULT_LABEL, firstMainscript), "isoErrors");
        defaults(model, "ipxeForm", new IpxeForm(script, IpxeTarget.X86_64_EFI.describe()), "ipxeErrors");
        defaults(model, "grubForm", new GrubForm(DEFAULT_LABEL, "x64", "img"), "grubErrors");
        defaults(model, "syslinuxForm", new SyslinuxForm("isolinux.bin"), "syslinuxErrors");
        return "ui/builds/list";
    }

    private static void defaults(Model model, String form, Object values, String errors) {
        if (!model.containsAttribute(form)) {
            model.addAttribute(form, values);
        }
        if (!model.containsAttribute(errors)) {
            model.addAttribute(errors, FormErrors.none());
        }
    }

    private void addBuilds(Model model) {
        List<ShownBuild> all = new ArrayList<>();
        for (BuildKind<?> kind : kinds.values()) {
            for (BuildRow row : builds.list(
                            kind.artifactKind(),
                            ListRequest.DEFAULT.onPage(1, NEWEST).sortedBy("-createdAt,-id"))
                    .rows()) {
                all.add(ShownBuild.of(kind.artifactKind(), builds.view(kind, row), ""));
            }
        }
        all.sort(Comparator.comparing(ShownBuild::createdAt)
                .thenComparing(ShownBuild::id)
                .reversed());
        List<ShownBuild> newest = all.subList(0, Math.min(all.size(), NEWEST));
        model.addAttribute("builds", newest);
        model.addAttribute("anyInFlight", newest.stream().anyMatch(ShownBuild::inFlight));
    }

    private ShownBuild shown(String wireName, long id) {
        ArtifactKind artifactKind = ArtifactKind.parse(wireName);
        BuildKind<?> kind = kinds.get(artifactKind);
        BuildRow row = builds.get(artifactKind, id);
        String log = row.jobId() == null ? "" : jobs.log(row.jobId());
        return ShownBuild.of(artifactKind, builds.view(kind, row), log);
    }
}
