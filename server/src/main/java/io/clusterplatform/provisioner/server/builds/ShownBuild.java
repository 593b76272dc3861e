package io.clusterplatform.provisioner.server.builds;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.jobs.JobStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A build as the dashboard shows it, read from {@link BuildService#view} (the API's own view).
 *
 * @param what the request in a few words, e.g. {@code "CPP ISO" from mainscript 3}
 * @param status the job's status (queued while the build has no job yet); pages show its wire name
 * @param log the job's log; empty when the build has no job yet
 */
record ShownBuild(
        ArtifactKind kind,
        long id,
        String uuid,
        String what,
        JobStatus status,
        int progress,
        String progressMessage,
        String error,
        Long jobId,
        List<ShownFile> files,
        Instant createdAt,
        String log) {
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** One produced file: where to download it, its size and its SHA-256. */
    record ShownFile(String name, long size, String sha256, String url) {

        /** The size for people: {@code 4.5 MiB}, {@code 812 B}. */
        public String humanSize() {
            return ShownBuild.humanSize(size);
        }
    }

    public boolean inFlight() {
        return !status.isFinal();
    }

    public boolean failed() {
        return status == JobStatus.FAILED;
    }

    public boolean done() {
        return status == JobStatus.DONE;
    }

    /** The badge colour (app.css health classes) of the status. */
    public String statusClass() {
        return switch (status) {
            case DONE -> "health-green";
            case FAILED -> "health-red";
            case CANCELLED -> "health-unknown";
            case QUEUED, WORKING -> "health-yellow";
        };
    }

    /** When it was requested, e.g. {@code 2025-01-31 12:00:00 UTC}. */
    public String created() {
        return CREATED.format(createdAt) + " UTC";
    }

    /** {@code /ui/artifacts/isos/7}. */
    public String page() {
        return "/ui/artifacts/" + kind.wireName() + "/" + id;
    }

    /** {@code ISO 7}. */
    public String title() {
        return kindLabel(kind) + " " + id;
    }

    static String kindLabel(ArtifactKind kind) {
        return switch (kind) {
            case ISOS -> "ISO";
            case IPXES -> "iPXE";
            case GRUBS -> "GRUB";
            case SYSLINUXS -> "SYSLINUX";
            case ASSETS -> "Asset";
        };
    }

    static ShownBuild of(ArtifactKind kind, Map<String, Object> view, String log) {
        List<ShownFile> files = ((List<?>) view.get("files"))
                .stream()
                        .map(file -> (Map<?, ?>) file)
                        .map(file -> new ShownFile(
                                (String) file.get("name"),
                                ((Number) file.get("size")).longValue(),
                                (String) file.get("sha256"),
                                (String) file.get("url")))
                        .toList();
        return new ShownBuild(
                kind,
                ((Number) view.get("id")).longValue(),
                String.valueOf(view.get("uuid")),
                what(kind, view),
                JobStatus.fromWireName((String) view.get("status"))
                        .orElseThrow(() -> new IllegalStateException("a build view without a known status: " + view)),
                ((Number) view.get("progress")).intValue(),
                (String) view.get("progressMessage"),
                (String) view.get("error"),
                view.get("jobId") == null ? null : ((Number) view.get("jobId")).longValue(),
                files,
                (Instant) view.get("createdAt"),
                log);
    }

    private static String what(ArtifactKind kind, Map<String, Object> view) {
        return switch (kind) {
            case ISOS -> {
                String label = "\"" + view.get("label") + "\"";
                if (view.get("mainscriptId") != null) {
                    yield label + " from mainscript " + view.get("mainscriptId");
                }
                yield label + (view.get("script") != null ? " from a script" : " from fragments");
            }
            case IPXES -> view.get("platform") + "/" + view.get("driver") + "/" + view.get("extension");
            case GRUBS -> "\"" + view.get("label") + "\" " + view.get("architecture") + " " + view.get("fragment");
            case SYSLINUXS -> String.valueOf(view.get("fragment"));
            case ASSETS -> "";
        };
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
