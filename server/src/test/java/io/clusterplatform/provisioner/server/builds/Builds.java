package io.clusterplatform.provisioner.server.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/** Test helpers for the artifact build endpoints. */
public final class Builds {
    private Builds() {}

    /** An iPXE build request: {@code script} built for {@code platform} as {@code ipxe.<extension>}. */
    public static Map<String, Object> ipxe(String script, String platform, String extension) {
        return Json.object("script", script, "platform", platform, "driver", "ipxe", "extension", extension);
    }

    /** A GRUB build request for x86_64 EFI: {@code fragment} img or efi, for {@code architecture} x64 or x86. */
    public static Map<String, Object> grub(String label, String architecture, String fragment) {
        return Json.object(
                "label",
                label,
                "platform",
                "x86_64-efi",
                "architecture",
                architecture,
                "extension",
                "efi",
                "fragment",
                fragment);
    }

    /** POSTs a build request (its fields) as the operator and checks the immediate answer. */
    public static JsonNode queue(Api api, String kind, Map<String, ?> request) {
        return queue(api, kind, Json.body(request));
    }

    /** POSTs a build request as the operator and checks the immediate answer. */
    public static JsonNode queue(Api api, String kind, String json) {
        Api.Response created = api.asOperator().post("/api/" + kind, json);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isIn("queued", "working", "done");
        return created.json();
    }

    /** Waits until the build is finished and returns it; fails if it did not end done. */
    public static JsonNode awaitDone(Api api, String kind, long id) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await(kind + " " + id + " to finish")
                .atMost(Timeouts.scaled(Duration.ofMinutes(3)))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonNode build =
                            api.asOperator().get("/api/" + kind + "/" + id).json();
                    last.set(build);
                    return !build.get("status").asText().matches("queued|working");
                });
        assertThat(last.get().get("status").asText()).as(last.get().toString()).isEqualTo("done");
        assertThat(last.get().get("progress").asInt()).isEqualTo(100);
        return last.get();
    }

    /** The states the job of a finished build went through, in order ({@code queued, working, done}). */
    public static List<String> transitions(Api api, JsonNode build) {
        List<String> transitions = new ArrayList<>();
        for (JsonNode event : api.asOperator()
                .get("/api/jobs/" + build.get("jobId").asLong() + "/events")
                .json()) {
            transitions.add(event.get("to").asText());
        }
        return transitions;
    }

    public static JsonNode file(JsonNode build, String name) {
        for (JsonNode file : build.get("files")) {
            if (file.get("name").asText().equals(name)) {
                return file;
            }
        }
        throw new AssertionError("no file " + name + " in " + build);
    }
}
