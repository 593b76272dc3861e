package io.clusterplatform.provisioner.server.jobs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.clusterplatform.provisioner.core.jobs.JobStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class JobsConfig {

    /** The worker of this process, running the handlers found among the beans. */
    @Bean
    JobWorker jobWorker(JobQueue queue, List<JobHandler> handlers, JobSettings settings, Clock clock) {
        return new JobWorker(queue, handlers, settings, clock, JobWorker.newOwnerId());
    }

    /** Job statuses are written and read in lower case, {@code "queued"}, as the API documents them. */
    @Bean
    Module jobStatusJson() {
        SimpleModule module = new SimpleModule("job-status");
        module.addSerializer(JobStatus.class, new JsonSerializer<>() {
            @Override
            public void serialize(JobStatus status, JsonGenerator json, SerializerProvider provider)
                    throws IOException {
                json.writeString(status.wireName());
            }
        });
        module.addDeserializer(JobStatus.class, new JsonDeserializer<>() {
            @Override
            public JobStatus deserialize(JsonParser json, DeserializationContext context) throws IOException {
                String text = json.getValueAsString();
                return JobStatus.fromWireName(text)
                        .orElseThrow(() -> context.weirdStringException(
                                text, JobStatus.class, "must be one of " + JobStatus.known()));
            }
        });
        return module;
    }
}
