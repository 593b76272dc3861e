package io.clusterplatform.provisioner.server.sshkeys;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.sshkeys.GeneratedSshKeyPair;
import io.clusterplatform.provisioner.core.sshkeys.SshKeyAlgorithm;
import io.clusterplatform.provisioner.core.sshkeys.SshKeyPairs;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.dashboard.FormErrors;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Set;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * SSH keys on the dashboard: the list (never a private key's text), adding a pasted key with the
 * API's fields and checks ({@link SshKeyRequest}), generating a pair on the server, and delete.
 *
 * <p>A generated pair is stored at once, in the POST that made it, so the private key never has to
 * travel back from the browser: the public half always (hosts fetch it for {@code authorized_keys}),
 * the private half unless the operator unticks it. The private key is then shown exactly once, on the
 * page the POST redirects to (a flash attribute, gone on reload), with {@code Cache-Control: no-store}.
 */
@DashboardPage
class SshKeyPages {
    static final int PAGE_SIZE = 20;
    private static final Set<String> ADD_FIELDS = Set.of("name", "artifactId", "private", "text");
    private static final Set<String> GENERATE_FIELDS = Set.of("name", "artifactId", "algorithm");

    private final SshKeyStore store;
    private final ServerUrl server;
    private final Validator validator;

    SshKeyPages(SshKeyStore store, ServerUrl server, Validator validator) {
        this.store = store;
        this.server = server;
        this.validator = validator;
    }

    @GetMapping({"/ui/sshkeys", "/ui/sshkeys/"})
    String list(
            @RequestParam(required = false) String search,
            @RequestParam(required = false) Integer page,
            HttpServletResponse response,
            Model model) {
        noStore(response);
        String wanted = search == null || search.isBlank() ? null : search.strip();
        model.addAttribute(
                "keys",
                store.list(ListRequest.DEFAULT
                        .searching(wanted)
                        .onPage(page, PAGE_SIZE)
                        .sortedBy("-id")));
        model.addAttribute("search", wanted == null ? "" : wanted);
        model.addAttribute("server", server.base());
        return "ui/sshkeys/list";
    }

    @GetMapping("/ui/sshkeys/new")
    String addForm(Model model) {
        model.addAttribute("form", new AddForm("", "", "", ""));
        model.addAttribute("errors", FormErrors.none());
        return "ui/sshkeys/add";
    }

    @PostMapping("/ui/sshkeys")
    String add(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String artifactId,
            @RequestParam(name = "private", defaultValue = "") String kind,
            @RequestParam(defaultValue = "") String text,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        noStore(response);
        AddForm form = new AddForm(name, artifactId, kind, text);
        if (!AddForm.KINDS.contains(kind)) {
            response.setStatus(400);
            model.addAttribute("form", form.shownAgain());
            model.addAttribute(
                    "errors", FormErrors.of("'private' must be true, false or empty, got '" + kind + "'", ADD_FIELDS));
            return "ui/sshkeys/add";
        }
        SshKeyRequest request = form.request();
        FormErrors errors = FormErrors.validate(validator, request);
        if (!errors.any()) {
            try {
                SshKeyRequest.Valid valid = request.validated();
                SshKey key = store.create(valid.name(), valid.artifactId(), valid.key());
                redirect.addFlashAttribute(
                        "notice", "Added " + (key.isPrivate() ? "private" : "public") + " key " + key.id() + ".");
                return "redirect:/ui/sshkeys";
            } catch (ProblemException e) {
                response.setStatus(e.status());
                model.addAttribute("form", form.shownAgain());
                showProblem(e, model);
                return "ui/sshkeys/add";
            }
        }
        response.setStatus(400);
        model.addAttribute("form", form.shownAgain());
        model.addAttribute("errors", errors);
        return "ui/sshkeys/add";
    }

    @GetMapping("/ui/sshkeys/generate")
    String generateForm(Model model) {
        model.addAttribute("form", new GenerateForm("", "", SshKeyAlgorithm.ECDSA.id(), true));
        model.addAttribute("errors", FormErrors.none());
        model.addAttribute("algorithms", List.of(SshKeyAlgorithm.values()));
        return "ui/sshkeys/generate";
    }

    @PostMapping("/ui/sshkeys/generate")
    String generate(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String artifactId,
            @RequestParam(defaultValue = "") String algorithm,
            @RequestParam(defaultValue = "false") boolean storePrivate,
            HttpServletResponse response,
            Model model) {
        noStore(response);
        GenerateForm form = new GenerateForm(name, artifactId, algorithm, storePrivate);
        FormErrors errors;
        try {
            SshKeyAlgorithm chosen = algorithm.isBlank() ? SshKeyAlgorithm.ECDSA : SshKeyAlgorithm.parse(algorithm);
            GeneratedSshKeyPair pair = SshKeyPairs.generate(chosen);
            SshKeyRequest publicHalf = new SshKeyRequest(pair.publicKey(), artifactId, false, form.storedName());
            SshKeyRequest privateHalf = new SshKeyRequest(pair.privateKey(), artifactId, true, form.storedName());
            errors = FormErrors.validate(validator, publicHalf);
            if (!errors.any()) {
                SshKeyRequest.Valid validPublic = publicHalf.validated();
                SshKeyRequest.Valid validPrivate = privateHalf.validated();
                SshKey publicKey = store.create(validPublic.name(), validPublic.artifactId(), validPublic.key());
                SshKey privateKey = storePrivate
                        ? store.create(validPrivate.name(), validPrivate.artifactId(), validPrivate.key())
                        : null;
                // The list page is the answer itself, not a redirect with a flash attribute: flash
                // attributes live in the session, which is in the database, and a private key shown
                // once is never written there.
                model.addAttribute(
                        "generated",
                        new GeneratedKeys(
                                chosen.id(),
                                pair.fingerprint(),
                                publicKey.id(),
                                privateKey == null ? null : privateKey.id(),
                                publicKey.text(),
                                pair.privateKey()));
                model.addAttribute(
                        "notice",
                        privateKey == null
                                ? "Generated a " + chosen.id() + " pair and stored its public key as key "
                                        + publicKey.id() + "."
                                : "Generated a " + chosen.id() + " pair and stored it: public key " + publicKey.id()
                                        + ", private key " + privateKey.id() + ".");
                return list(null, null, response, model);
            }
            response.setStatus(400);
        } catch (ProblemException e) {
            errors = FormErrors.of(e, GENERATE_FIELDS);
            response.setStatus(e.status());
        }
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("algorithms", List.of(SshKeyAlgorithm.values()));
        return "ui/sshkeys/generate";
    }

    @PostMapping("/ui/sshkeys/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        SshKey key = store.get(id);
        store.delete(id);
        redirect.addFlashAttribute(
                "notice", "Deleted " + (key.isPrivate() ? "private" : "public") + " key " + id + ".");
        return "redirect:/ui/sshkeys";
    }

    /**
     * The key checks' own messages ("invalid SSH key: ...", "the private key is encrypted ...") name no
     * field, but they are all about the pasted text: the request's other fields are checked before the
     * text is parsed, and their messages name them. Such a message goes below the text, in its words.
     */
    private static void showProblem(ProblemException e, Model model) {
        FormErrors errors = FormErrors.of(e, ADD_FIELDS);
        if (errors.general() != null) {
            model.addAttribute("textError", e.detail());
            errors = FormErrors.none();
        }
        model.addAttribute("errors", errors);
    }

    private static void noStore(HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
    }

    /**
     * The add form as submitted.
     *
     * @param kind "" (take it from the text), "false" (public) or "true" (private): the API's {@code private}
     */
    record AddForm(String name, String artifactId, String kind, String text) {
        static final Set<String> KINDS = Set.of("", "true", "false");

        /** The form to show again after a refusal: a pasted private key is not sent back to the browser. */
        AddForm shownAgain() {
            boolean secret = kind.equals("true") || text.contains("PRIVATE KEY");
            return secret ? new AddForm(name, artifactId, kind, "") : this;
        }

        SshKeyRequest request() {
            Boolean isPrivate = kind.isBlank() ? null : Boolean.valueOf(kind);
            return new SshKeyRequest(text, artifactId, isPrivate, name.isBlank() ? null : name);
        }

        @Override
        public String toString() {
            return "AddForm[artifactId=" + artifactId + ", kind=" + kind + "]";
        }
    }

    record GenerateForm(String name, String artifactId, String algorithm, boolean storePrivate) {
        String storedName() {
            return name.isBlank() ? null : name;
        }
    }

    /** A pair just generated and stored, for the one page that shows its private key. */
    record GeneratedKeys(
            String algorithm, String fingerprint, long publicId, Long privateId, String publicKey, String privateKey) {
        @Override
        public String toString() {
            return "GeneratedKeys[" + algorithm + ", " + fingerprint + ", public " + publicId + ", private " + privateId
                    + "]";
        }
    }
}
