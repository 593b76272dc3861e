package io.clusterplatform.provisioner.server.config;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.time.Clock;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CommonBeans {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Unknown fields are refused (a typo must not be silently ignored); a trailing comma is accepted
     * because the original API's own "Create Globalnode" request has one.
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictButForgivingJson() {
        return builder -> builder.featuresToEnable(
                        DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        JsonReadFeature.ALLOW_TRAILING_COMMA.mappedFeature())
                .featuresToDisable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .postConfigurer(mapper -> {
                    // "text": 5 is a mistake, not the string "5".
                    var textual = mapper.coercionConfigFor(LogicalType.Textual);
                    textual.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                    textual.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                    textual.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                });
    }
}
