package io.clusterplatform.provisioner.server.liveness;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.clusterplatform.provisioner.core.nodes.NodeHealth;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LivenessConfig {

    /** Health colours are written in lower case, {@code "green"}, as the API documents them. */
    @Bean
    Module healthColourJson() {
        SimpleModule module = new SimpleModule("health-colour");
        module.addSerializer(NodeHealth.Colour.class, new JsonSerializer<>() {
            @Override
            public void serialize(NodeHealth.Colour colour, JsonGenerator json, SerializerProvider provider)
                    throws IOException {
                json.writeString(colour.wireName());
            }
        });
        return module;
    }
}
