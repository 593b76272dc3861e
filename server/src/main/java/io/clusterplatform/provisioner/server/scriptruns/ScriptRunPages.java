package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.dashboard.DashboardPage;
import io.clusterplatform.provisioner.server.dashboard.FormErrors;
import io.clusterplatform.provisioner.server.localnodes.Localnode;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import io.clusterplatform.provisioner.server.timeline.Timeline;
import io.clusterplatform.provisioner.server.timeline.TimelineEntry;
import io.clusterplatform.provisioner.server.timeline.TimelineService;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A node's page: its facts and health (live), its boot timeline (live), its script runs and the form
 * that runs a script on it through its distributor (the same {@link ScriptRunQueue} as {@code PUT
 * /api/localnodes/{id}/script}); and a run's page, whose output appears while the script runs.
 */
@DashboardPage
class ScriptRunPages {
    private static final Set<String> FORM_FIELDS = Set.of("script", "user", "timeoutSeconds", "privateKey");
    private static final int RECENT_RUNS = 10;

    private final LocalnodeStore nodes;
    private final ScriptRunStore runs;
    private final ScriptRunQueue queue;
    private final TimelineService timelines;

    ScriptRunPages(LocalnodeStore nodes, ScriptRunStore runs, ScriptRunQueue queue, TimelineService timelines) {
        this.nodes = nodes;
        this.runs = runs;
        this.queue = queue;
        this.timelines = timelines;
    }

    /** The run form as submitted; the private key is never sent back to the browser. */
    record RunForm(String script, String user, String timeoutSeconds) {
        static final RunForm EMPTY = new RunForm("", "root", String.valueOf(ScriptRunQueue.DEFAULT_TIMEOUT));
    }

    @GetMapping("/ui/nodes/{id}")
    String node(@PathVariable long id, Model model) {
        return nodePage(id, RunForm.EMPTY, FormErrors.none(), model);
    }

    /** The health and facts alone, which the node page fetches again every few seconds. */
    @GetMapping("/ui/nodes/{id}/status")
    String status(@PathVariable long id, Model model) {
        model.addAttribute("node", nodes.get(id));
        return "ui/localnodes/node :: status";
    }

    /** The timeline alone, newest first, which the node page fetches again every few seconds. */
    @GetMapping("/ui/nodes/{id}/timeline")
    String timeline(@PathVariable long id, Model model) {
        model.addAttribute("node", nodes.get(id));
        model.addAttribute("timeline", newestFirst(timelines.forNode(id)));
        return "ui/localnodes/node :: timeline";
    }

    @PostMapping("/ui/nodes/{id}/script")
    String run(
            @PathVariable long id,
            @RequestParam(required = false) String script,
            @RequestParam(required = false) String user,
            @RequestParam(required = false) String timeoutSeconds,
            @RequestParam(required = false) String privateKey,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        RunForm form = new RunForm(script == null ? "" : script, user, timeoutSeconds);
        Integer timeout;
        try {
            timeout = blank(timeoutSeconds) ? null : Integer.valueOf(timeoutSeconds.strip());
        } catch (NumberFormatException e) {
            response.setStatus(400);
            return nodePage(
                    id,
                    form,
                    FormErrors.of(
                            "'timeoutSeconds' must be a whole number of seconds, got '" + timeoutSeconds + "'",
                            FORM_FIELDS),
                    model);
        }
        ScriptRun run;
        try {
            run = queue.queue(
                    id, script, blank(privateKey) ? null : privateKey, blank(user) ? null : user.strip(), timeout);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            response.setStatus(e.status());
            return nodePage(id, form, FormErrors.of(e, FORM_FIELDS), model);
        }
        redirect.addFlashAttribute("notice", "Run " + run.id() + " queued for " + run.ip() + " as " + run.user() + ".");
        return "redirect:/ui/nodes/" + id + "/runs/" + run.id();
    }

    @GetMapping("/ui/nodes/{id}/runs/{runId}")
    String runPage(@PathVariable long id, @PathVariable long runId, Model model) {
        model.addAttribute("node", nodes.get(id));
        model.addAttribute("run", runOf(id, runId).redacted());
        return "ui/localnodes/run";
    }

    /** The run's status and output alone, fetched again every second until the run ended. */
    @GetMapping("/ui/nodes/{id}/runs/{runId}/output")
    String output(@PathVariable long id, @PathVariable long runId, Model model) {
        model.addAttribute("node", nodes.get(id));
        model.addAttribute("run", runOf(id, runId));
        return "ui/localnodes/run :: output";
    }

    private ScriptRun runOf(long nodeId, long runId) {
        ScriptRun run = runs.get(runId);
        if (run.nodeId() != nodeId) {
            throw ProblemException.notFound("localnode " + nodeId + " has no script run " + runId);
        }
        return run;
    }

    private String nodePage(long id, RunForm form, FormErrors errors, Model model) {
        Localnode node = nodes.get(id);
        model.addAttribute("node", node);
        model.addAttribute("timeline", newestFirst(timelines.forNode(id)));
        model.addAttribute("runs", runs.ofNode(id, RECENT_RUNS));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "ui/localnodes/node";
    }

    /** The timeline's entries, newest first (the page reads from the top), and whether older ones were left out. */
    record NewestFirst(List<TimelineEntry> entries, boolean truncated) {}

    private static NewestFirst newestFirst(Timeline timeline) {
        List<TimelineEntry> entries = new ArrayList<>(timeline.entries());
        Collections.reverse(entries);
        return new NewestFirst(entries, timeline.truncated());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
