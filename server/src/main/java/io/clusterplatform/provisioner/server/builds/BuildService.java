package io.clusterplatform.provisioner.server.builds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.jobs.JobStatus;
import io.clusterplatform.provisioner.core.paging.Page;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStore;
import io.clusterplatform.provisioner.server.artifacts.ArtifactUrls;
import io.clusterplatform.provisioner.server.artifacts.StoredFile;
import io.clusterplatform.provisioner.server.jobs.Job;
import io.clusterplatform.provisioner.server.jobs.JobQueue;
import io.clusterplatform.provisioner.server.storage.ListRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores build requests and queues their jobs in one transaction (an accepted request is never lost),
 * and shows a build as the original API's request fields plus {@code id}, {@code uuid}, {@code status},
 * {@code progress}, the job's error and, when done, the files with size, sha256 and download URL.
 */
@Service
public class BuildService {
    /** Attempts per build: transient failures (a download that timed out) are retried with backoff. */
    static final int MAX_ATTEMPTS = 3;

    private final BuildStore store;
    private final JobQueue jobs;
    private final ArtifactStore artifacts;
    private final ArtifactUrls urls;
    private final ObjectMapper json;

    BuildService(BuildStore store, JobQueue jobs, ArtifactStore artifacts, ArtifactUrls urls, ObjectMapper json) {
        this.store = store;
        this.jobs = jobs;
        this.artifacts = artifacts;
        this.urls = urls;
        this.json = json;
    }

    /** The job kind that builds artifacts of this kind, e.g. {@code build-isos}. */
    public static String jobKind(ArtifactKind kind) {
        return "build-" + kind.wireName();
    }

    @Transactional
    public <S> BuildRow create(BuildKind<S> kind, S validatedSpec) {
        BuildRow row = store.insert(kind.artifactKind(), UUID.randomUUID(), write(validatedSpec));
        Job job = jobs.enqueue(jobKind(kind.artifactKind()), row.id(), MAX_ATTEMPTS);
        store.attachJob(kind.artifactKind(), row.id(), job.id());
        return store.find(kind.artifactKind(), row.id()).orElseThrow();
    }

    public java.util.Optional<BuildRow> find(ArtifactKind kind, long id) {
        return store.find(kind, id);
    }

    public BuildRow get(ArtifactKind kind, long id) {
        return store.find(kind, id).orElseThrow(() -> notFound(kind, id));
    }

    public Page<BuildRow> list(ArtifactKind kind, ListRequest request) {
        return store.list(kind, request);
    }

    /** Cancels the build if it still runs, then removes its files and its row. */
    @Transactional
    public void delete(ArtifactKind kind, long id) {
        BuildRow row = get(kind, id);
        if (row.jobId() != null) {
            jobs.find(row.jobId()).filter(job -> !job.status().isFinal()).ifPresent(job -> jobs.cancel(job.id()));
        }
        store.delete(kind, id);
        artifacts.delete(kind, row.uuid());
    }

    public <S> S spec(BuildKind<S> kind, BuildRow row) {
        try {
            return json.readValue(row.spec(), kind.specType());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "the stored spec of " + kind.artifactKind().wireName() + " " + row.id() + " is unreadable: "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    /** The build as the API shows it. */
    public <S> Map<String, Object> view(BuildKind<S> kind, BuildRow row) {
        S spec = spec(kind, row);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.id());
        view.put("uuid", row.uuid());
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = json.convertValue(spec, Map.class);
        view.putAll(fields);
        Job job = row.jobId() == null ? null : jobs.find(row.jobId()).orElse(null);
        view.put("status", (job == null ? JobStatus.QUEUED : job.status()).wireName());
        view.put("progress", job == null ? 0 : job.progress());
        view.put("progressMessage", job == null ? null : job.progressMessage());
        view.put("error", job == null ? null : job.error());
        view.put("jobId", row.jobId());
        List<Map<String, Object>> files = artifacts.files(kind.artifactKind(), row.uuid()).stream()
                .map(this::fileView)
                .toList();
        view.put("files", files);
        String primary = kind.primaryFile(spec);
        view.put(
                "url",
                job != null && job.status() == JobStatus.DONE
                        ? urls.downloadUrl(kind.artifactKind(), row.uuid(), primary)
                        : null);
        view.put("createdAt", row.createdAt());
        view.put("updatedAt", job == null ? row.updatedAt() : job.updatedAt());
        return view;
    }

    private Map<String, Object> fileView(StoredFile file) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", file.name());
        view.put("size", file.size());
        view.put("sha256", file.sha256());
        view.put("url", urls.downloadUrl(file));
        return view;
    }

    private String write(Object spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ProblemException notFound(ArtifactKind kind, long id) {
        return ProblemException.notFound(kind.singular() + " " + id + " does not exist");
    }
}
