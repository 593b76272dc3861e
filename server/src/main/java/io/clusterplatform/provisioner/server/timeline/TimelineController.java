package io.clusterplatform.provisioner.server.timeline;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Boot timelines, for operators: by localnode, or by a host's MAC or IP before it registered. */
@RestController
@Tag(name = "timeline", description = "What happened while a host booted, in time order")
class TimelineController {
    private final TimelineService timelines;

    TimelineController(TimelineService timelines) {
        this.timelines = timelines;
    }

    @GetMapping(path = "/api/localnodes/{id}/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "The node's boot timeline, oldest first (the newest 500 entries): {host: {mac, ip, nodeId,"
                    + " artifactId}, entries: [{at, kind, source, summary, detail}], truncated}")
    Timeline node(@PathVariable long id) {
        return timelines.forNode(id);
    }

    @GetMapping(path = "/api/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "A host's boot timeline by ?mac= or ?ip= (or both), registered or not; the same shape as"
                    + " /api/localnodes/{id}/timeline")
    Timeline host(@RequestParam(required = false) String mac, @RequestParam(required = false) String ip) {
        return timelines.forHost(mac, ip);
    }
}
