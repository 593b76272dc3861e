package io.clusterplatform.provisioner.server.builds;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStaging;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStore;
import io.clusterplatform.provisioner.server.artifacts.StoredFile;
import io.clusterplatform.provisioner.server.jobs.JobContext;
import io.clusterplatform.provisioner.server.jobs.JobFailedException;
import io.clusterplatform.provisioner.server.jobs.JobHandler;
import java.io.IOException;
import java.util.List;

/**
 * Runs the builds of one kind on the job queue: builds into a staging area of the artifact store and
 * publishes the files only at the end, so a crash or a second attempt never leaves half a build.
 * Wrong input found while building (a URL that answers 404, a tool that rejects the input) fails the
 * build at once; network trouble is retried.
 */
public class BuildJobHandler<S> implements JobHandler {
    private final BuildKind<S> kind;
    private final BuildService builds;
    private final ArtifactStore store;

    public BuildJobHandler(BuildKind<S> kind, BuildService builds, ArtifactStore store) {
        this.kind = kind;
        this.builds = builds;
        this.store = store;
    }

    @Override
    public String kind() {
        return BuildService.jobKind(kind.artifactKind());
    }

    @Override
    public void run(JobContext job) throws Exception {
        BuildRow row = builds.find(kind.artifactKind(), job.subjectId())
                .orElseThrow(() -> JobFailedException.permanent(
                        kind.artifactKind().singular() + " " + job.subjectId() + " was deleted"));
        S spec = builds.spec(kind, row);
        job.progress(1, "starting");
        try (ArtifactStaging staging = store.stage(kind.artifactKind(), row.uuid())) {
            kind.build(spec, staging, job);
            job.progress(90, "publishing the files");
            List<StoredFile> files = staging.publish();
            for (StoredFile file : files) {
                job.log("published " + file.name() + " (" + file.size() + " bytes, sha256 " + file.sha256() + ")");
            }
        } catch (ProblemException e) {
            job.log("failed: " + e.getMessage());
            throw JobFailedException.permanent(e.getMessage(), e);
        } catch (IOException e) {
            job.log("failed, will retry: " + e.getMessage());
            throw JobFailedException.retryable(e.getMessage(), e);
        }
    }
}
