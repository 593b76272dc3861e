package io.clusterplatform.provisioner.server.jobs;

import io.clusterplatform.provisioner.server.http.Negotiation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/jobs")
@Tag(name = "jobs", description = "Background jobs (artifact builds): status, progress, log, cancel")
class JobController {
    private final JobQueue queue;

    JobController(JobQueue queue) {
        this.queue = queue;
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "A job: status (queued, working, done, failed, cancelled), progress 0-100 with its"
                    + " milestone, attempts and the last error")
    JobResponse get(@PathVariable long id) {
        return JobResponse.of(queue.get(id));
    }

    @GetMapping(path = "/{id}/log", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(
            summary = "The job's log as text: one timestamped line per event and handler message"
                    + " (the last 64 Ki characters)")
    ResponseEntity<String> log(@PathVariable long id) {
        return ResponseEntity.ok().contentType(Negotiation.TEXT_UTF8).body(queue.log(id));
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every status change of the job, oldest first, with the worker that made it")
    java.util.List<JobEvent> events(@PathVariable long id) {
        queue.get(id);
        return queue.events(id);
    }

    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Cancel a job: a queued job is cancelled at once; a working job gets cancelRequested"
                    + " and ends cancelled when its handler stops. 409 for a done or failed job.")
    JobResponse cancel(@PathVariable long id) {
        return JobResponse.of(queue.cancel(id));
    }
}
