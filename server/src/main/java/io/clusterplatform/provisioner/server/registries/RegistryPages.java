package io.clusterplatform.provisioner.server.registries;

import io.clusterplatform.provisioner.core.kickstarts.KickstartPasswords;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.dashboard.FormErrors;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Validator;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The five text registries on the dashboard: a list per registry (search, pages, the URL hosts fetch),
 * a form to create and one to edit an entry in a monospace editor, and delete. The same store and
 * request record as the REST API, so the same rules and words; kickstart lists never show text (the
 * API's lists show passwords hashed), the edit form shows it as stored, as the operator's GET does.
 * Templates: {@code templates/ui/registries/}.
 */
@DashboardPage
class RegistryPages {
    static final int PAGE_SIZE = 20;
    private static final Set<String> FIELDS = Set.of("name", "text");

    private final TextRegistryStore store;
    private final ServerUrl server;
    private final Validator validator;

    RegistryPages(TextRegistryStore store, ServerUrl server, Validator validator) {
        this.store = store;
        this.server = server;
        this.validator = validator;
    }

    // The URLs stay /ui/scripts (users bookmark them); only the class and templates are "registries".
    @GetMapping({"/ui/scripts", "/ui/scripts/"})
    String scripts() {
        return "redirect:/ui/scripts/" + TextRegistry.MAINSCRIPTS.path();
    }

    @GetMapping("/ui/scripts/{registry}")
    String list(
            @PathVariable String registry,
            @RequestParam(required = false) String search,
            @RequestParam(required = false) Integer page,
            Model model) {
        TextRegistry chosen = registry(registry);
        String wanted = search == null || search.isBlank() ? null : search.strip();
        model.addAttribute(
                "entries",
                store.list(
                        chosen,
                        ListRequest.DEFAULT
                                .searching(wanted)
                                .onPage(page, PAGE_SIZE)
                                .sortedBy("-id")));
        model.addAttribute("search", wanted == null ? "" : wanted);
        return page(chosen, "ui/registries/list", model);
    }

    @GetMapping("/ui/scripts/{registry}/new")
    String newForm(@PathVariable String registry, Model model) {
        model.addAttribute("form", new ScriptForm(null, "", ""));
        model.addAttribute("errors", FormErrors.none());
        return page(registry(registry), "ui/registries/form", model);
    }

    @PostMapping("/ui/scripts/{registry}")
    String create(
            @PathVariable String registry,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String text,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        TextRegistry chosen = registry(registry);
        ScriptForm form = new ScriptForm(null, name, text);
        TextEntryRequest request = form.request();
        FormErrors errors = FormErrors.validate(validator, request);
        if (!errors.any()) {
            try {
                TextEntry entry = store.create(chosen, request.name(), request.text());
                redirect.addFlashAttribute("notice", "Created " + chosen.singular() + " " + entry.id() + ".");
                return "redirect:/ui/scripts/" + chosen.path() + "/" + entry.id();
            } catch (ProblemException e) {
                errors = FormErrors.of(e, FIELDS);
                response.setStatus(e.status());
            }
        } else {
            response.setStatus(400);
        }
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return page(chosen, "ui/registries/form", model);
    }

    @GetMapping("/ui/scripts/{registry}/{id}")
    String edit(@PathVariable String registry, @PathVariable long id, Model model) {
        TextRegistry chosen = registry(registry);
        TextEntry entry = store.get(chosen, id);
        model.addAttribute("entry", entry);
        model.addAttribute("form", new ScriptForm(id, entry.name() == null ? "" : entry.name(), entry.text()));
        model.addAttribute("errors", FormErrors.none());
        return page(chosen, "ui/registries/form", model);
    }

    @PostMapping("/ui/scripts/{registry}/{id}")
    String replace(
            @PathVariable String registry,
            @PathVariable long id,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String text,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        TextRegistry chosen = registry(registry);
        TextEntry entry = store.get(chosen, id);
        ScriptForm form = new ScriptForm(id, name, text);
        TextEntryRequest request = form.request();
        FormErrors errors = FormErrors.validate(validator, request);
        if (!errors.any()) {
            try {
                store.replace(chosen, id, request.name(), request.text());
                redirect.addFlashAttribute("notice", "Saved " + chosen.singular() + " " + id + ".");
                return "redirect:/ui/scripts/" + chosen.path() + "/" + id;
            } catch (ProblemException e) {
                errors = FormErrors.of(e, FIELDS);
                response.setStatus(e.status());
            }
        } else {
            response.setStatus(400);
        }
        model.addAttribute("entry", entry);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return page(chosen, "ui/registries/form", model);
    }

    @PostMapping("/ui/scripts/{registry}/{id}/delete")
    String delete(@PathVariable String registry, @PathVariable long id, RedirectAttributes redirect) {
        TextRegistry chosen = registry(registry);
        store.delete(chosen, id);
        redirect.addFlashAttribute("notice", "Deleted " + chosen.singular() + " " + id + ".");
        return "redirect:/ui/scripts/" + chosen.path();
    }

    private String page(TextRegistry registry, String view, Model model) {
        model.addAttribute("registry", registry);
        model.addAttribute("registries", List.of(TextRegistry.values()));
        model.addAttribute("title", title(registry));
        model.addAttribute("server", server.base());
        return view;
    }

    /** The registry named in the URL; a 404 that lists the five when there is no such one. */
    static TextRegistry registry(String path) {
        return Arrays.stream(TextRegistry.values())
                .filter(registry -> registry.path().equals(path))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("there are no scripts called '" + path + "'; the"
                        + " registries are "
                        + String.join(
                                ", ",
                                Arrays.stream(TextRegistry.values())
                                        .map(TextRegistry::path)
                                        .toList())));
    }

    /** The heading of a registry's pages, e.g. "Mainscripts". */
    static String title(TextRegistry registry) {
        return switch (registry) {
            case MAINSCRIPTS -> "Mainscripts";
            case SUBSCRIPTS -> "Subscripts";
            case KICKSTARTS -> "Kickstarts";
            case PREBOOTSCRIPTS -> "Pre-boot scripts";
            case POSTBOOTSCRIPTS -> "Post-boot scripts";
        };
    }

    /**
     * What the form holds. Browsers send a textarea's line breaks as CRLF (HTML's form encoding), so
     * they become LF again: a shell script with CRs fails. A blank name is no name, as when the API's
     * JSON leaves it out.
     *
     * @param id the entry being edited, null on the "new" form
     */
    record ScriptForm(Long id, String name, String text) {
        TextEntryRequest request() {
            return new TextEntryRequest(text.replace("\r\n", "\n"), name.isBlank() ? null : name);
        }

        /** Whether the text holds a kickstart password that tokenless fetches get hashed. */
        public boolean hasPlaintextPassword() {
            return KickstartPasswords.hasPlaintextPassword(text);
        }
    }
}
