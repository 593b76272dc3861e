package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.core.scriptruns.ScriptRunStatus;
import io.clusterplatform.provisioner.server.timeline.TimelineEntry;
import io.clusterplatform.provisioner.server.timeline.TimelineHost;
import io.clusterplatform.provisioner.server.timeline.TimelineSource;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** A node's script runs in its timeline: when each was queued, and how it ended. */
@Component
class ScriptRunTimeline implements TimelineSource {
    private final ScriptRunStore runs;

    ScriptRunTimeline(ScriptRunStore runs) {
        this.runs = runs;
    }

    @Override
    public List<TimelineEntry> entries(TimelineHost host, int limit) {
        if (host.nodeId() == null) {
            return List.of();
        }
        List<TimelineEntry> entries = new ArrayList<>();
        for (ScriptRun run : runs.ofNode(host.nodeId(), limit)) {
            entries.add(new TimelineEntry(
                    run.createdAt(),
                    "script",
                    TimelineEntry.Source.SERVER,
                    "script run " + run.id() + " queued for " + run.user() + "@" + run.ip(),
                    TimelineEntry.details("runId", run.id(), "distributorId", run.distributorId())));
            if (run.finished()) {
                String end = run.state() == ScriptRunStatus.DONE
                        ? "script run " + run.id() + " exited with " + run.exitCode()
                        : "script run " + run.id() + " failed: " + run.error();
                entries.add(new TimelineEntry(
                        run.finishedAt(),
                        "script",
                        TimelineEntry.Source.DISTRIBUTOR,
                        end,
                        TimelineEntry.details("runId", run.id(), "status", run.status(), "exitCode", run.exitCode())));
            }
        }
        return entries;
    }
}
